"""Build the offline basemap of the structure maps from the geography the repository ships.

The repository ships no administrative contours (no département or région outlines: data/geo holds codes, names and
commune centres only), so the offline basemap is made of places: the préfectures of régions and départements and the
larger communes, each a point with its name. The product draws them under the markers when no tile source is
configured (SPRO_MAP_TILES_URL empty), so that a map is readable without any network.

    python scripts/build_map_basemap.py            # writes spro/directory/static/directory/map-basemap.json
    python scripts/build_map_basemap.py --check    # exits 1 if the shipped file is not what the data gives

Inputs (Licence Ouverte 2.0, see data/geo/SOURCE-*.md): data/geo/communes_fr_2026.csv.gz, departements.json,
regions.json. Standard library only; the output is deterministic (sorted, rounded to 4 decimals, about 11 m).
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

# Rank of a place: the map shows rank 1 from the widest zoom, rank 2 closer, rank 3 closest.
RANK_REGION, RANK_DEPARTEMENT, RANK_COMMUNE = 1, 2, 3


def build(geo: Path = GEO) -> dict:
    regions = {r["chefLieu"] for r in json.loads((geo / "regions.json").read_text(encoding="utf-8"))}
    departements = {
        d["chefLieu"] for d in json.loads((geo / "departements.json").read_text(encoding="utf-8"))
    }
    places = []
    with gzip.open(geo / "communes_fr_2026.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "commune-actuelle" or row["zone"] not in ZONES or not row["latitude"]:
                continue
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
            places.append(
                [row["nom"], round(float(row["latitude"]), 4), round(float(row["longitude"]), 4), rank]
            )
    places.sort(key=lambda p: (p[3], p[0], p[1], p[2]))
    return {
        "source": "Etalab découpage administratif 2026 (INSEE COG), centres des communes via datas.fun (COG 2024) "
        "– Licence Ouverte 2.0",
        "fields": ["nom", "latitude", "longitude", "rang"],
        "places": places,
    }


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUTPUT.relative_to(ROOT)} is out of date: run scripts/build_map_basemap.py",
                file=sys.stderr,
            )
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {text.count('],[') + 1} places, {len(text.encode()) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
