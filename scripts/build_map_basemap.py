"""Build the offline basemap of the structure maps from the geography the repository ships.

The repository ships no administrative contours (data/geo holds codes, names, populations and commune centres, no
outline of a département or a région). The offline basemap is therefore made from the commune centres:
- places: the préfectures of régions and départements and the communes of 10 000 inhabitants or more, each a point
  with its name;
- approximate départements: each commune centre gets its Voronoi cell (the area nearer to it than to any other
  centre), the cells of a département are merged, clipped to 5 km around the centres (so the coast is only
  approximate), their holes filled and their outlines simplified (Douglas–Peucker, about 1 km). Borders between
  départements are thus right to a couple of kilometres; coastlines and the edges of the country are not real ones.
  The map says « limites approximatives ».
The product draws them under the markers when no tile source is configured (SPRO_MAP_TILES_URL empty), so that a
map is readable without any network.

    python scripts/build_map_basemap.py            # writes spro/directory/static/directory/map-basemap.json
    python scripts/build_map_basemap.py --check    # exits 1 if the shipped file is not what the data gives

Inputs (Licence Ouverte 2.0, see data/geo/SOURCE-*.md): data/geo/communes_fr_2026.csv.gz, departements.json,
regions.json. The places need the standard library only; the départements need shapely (a build-time tool, not a
dependency of the product: `pip install shapely`). --check needs no shapely: it compares the places, and the
départements by their codes only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "data" / "geo"
OUTPUT = ROOT / "spro" / "directory" / "static" / "directory" / "map-basemap.json"
MIN_POPULATION = 10_000  # communes shown besides the préfectures (1 067 in 2026)
ZONES = {"metro", "drom"}  # the collectivités d'outre-mer have no coordinates in the shipped file

CLIP_DEGREES = 0.045  # the land kept around each commune centre (≈ 5 km)
SIMPLIFY_DEGREES = 0.01  # Douglas–Peucker tolerance (≈ 1 km)
MIN_AREA = 0.002  # islets smaller than this (≈ 20 km²) are dropped
COORDINATE_DECIMALS = 3

# Rank of a place: the map shows rank 1 from the widest zoom, rank 2 closer, rank 3 closest.
RANK_REGION, RANK_DEPARTEMENT, RANK_COMMUNE = 1, 2, 3


def _communes(geo: Path) -> list[dict]:
    with gzip.open(geo / "communes_fr_2026.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["type"] == "commune-actuelle" and row["zone"] in ZONES and row["latitude"]
        ]


def departement_areas(communes: list[dict]) -> list[list]:
    """[[code, [ring, …]], …]: approximate outlines of the départements, rings of [lat, lon] (see the docstring)."""
    import math

    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    # Voronoi in a plane where a degree of longitude is as long as one of latitude at 46.5° N (metropolitan France).
    scale = math.cos(math.radians(46.5))
    points = shapely.points([(float(c["longitude"]) * scale, float(c["latitude"])) for c in communes])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), ordered=True))
    # Land: 5 km around the centres, with the holes between distant centres (rivers, large communes) filled.
    land = shapely.union_all(shapely.buffer(points, CLIP_DEGREES, quad_segs=4))
    land = MultiPolygon([Polygon(p.exterior) for p in getattr(land, "geoms", [land])])
    by_departement: dict[str, list] = {}
    for commune, cell in zip(communes, cells, strict=True):
        by_departement.setdefault(commune["code_departement"], []).append(cell)
    codes = sorted(by_departement)
    shapes = []
    for code in codes:
        shape = shapely.union_all(by_departement[code]).intersection(land)
        parts = [Polygon(p.exterior) for p in getattr(shape, "geoms", [shape]) if p.geom_type == "Polygon"]
        shapes.append(MultiPolygon([p for p in parts if p.area >= MIN_AREA] or parts[:1]))
    # Simplified together, so that two neighbours keep one shared border (no gap, no overlap).
    shapes = shapely.coverage_simplify(shapes, SIMPLIFY_DEGREES)
    areas = []
    for code, shape in zip(codes, shapes, strict=True):
        rings = [
            [
                [round(y, COORDINATE_DECIMALS), round(x / scale, COORDINATE_DECIMALS)]
                for x, y in p.exterior.coords
            ]
            for p in sorted(getattr(shape, "geoms", [shape]), key=lambda p: -p.area)
        ]
        areas.append([code, rings])
    return areas


def build(geo: Path = GEO, with_areas: bool = True) -> dict:
    regions = {r["chefLieu"] for r in json.loads((geo / "regions.json").read_text(encoding="utf-8"))}
    departements = {
        d["chefLieu"] for d in json.loads((geo / "departements.json").read_text(encoding="utf-8"))
    }
    communes = _communes(geo)
    places = []
    for row in communes:
        code = row["code_insee"]
        population = int(row["population"] or 0)
        if code in regions:
            rank = RANK_REGION
        elif code in departements:
            rank = RANK_DEPARTEMENT
        elif population >= MIN_POPULATION:
            rank = RANK_COMMUNE
        else:
            continue
        places.append([row["nom"], round(float(row["latitude"]), 4), round(float(row["longitude"]), 4), rank])
    places.sort(key=lambda p: (p[3], p[0], p[1], p[2]))
    data = {
        "source": "Etalab découpage administratif 2026 (INSEE COG), centres des communes via datas.fun (COG 2024) "
        "– Licence Ouverte 2.0; limites des départements approximatives, calculées depuis les centres des communes",
        "fields": ["nom", "latitude", "longitude", "rang"],
        "places": places,
    }
    if with_areas:
        data["departements"] = departement_areas(communes)
    return data


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        # The places are compared exactly; the départements, a drawing whose last digits depend on the GEOS
        # version, only by their codes.
        data = build(with_areas=False)
        shipped = json.loads(OUTPUT.read_text(encoding="utf-8")) if OUTPUT.exists() else {}
        codes = sorted(
            str(d["code"]) for d in json.loads((GEO / "departements.json").read_text(encoding="utf-8"))
        )
        shipped_codes = sorted(code for code, _rings in shipped.pop("departements", []))
        if (
            shipped != json.loads(render(data))
            or not set(shipped_codes) <= set(codes)
            or len(shipped_codes) < 96
        ):
            print(
                f"{OUTPUT.relative_to(ROOT)} is out of date: run scripts/build_map_basemap.py",
                file=sys.stderr,
            )
            return 1
        return 0
    try:
        import shapely  # noqa: F401
    except ImportError:
        print("shapely is needed to draw the départements: pip install shapely", file=sys.stderr)
        return 2
    data = build()
    text = render(data)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    size = len(text.encode()) // 1024
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(data['places'])} places, {len(data['departements'])} départements, {size} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
