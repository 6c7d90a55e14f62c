"""What the structure maps show: one marker per listed structure, and the map's configuration.

The pages list the structures first; the map (directory/_map.html + directory/map.js) only repeats the same places,
so a page passes exactly the structures of its list. Markers carry nothing but public directory data. See
docs/map.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.templatetags.static import static

from spro.directory.models import Structure
from spro.directory.presenters import structure_url

OFFLINE_ATTRIBUTION = "Lieux et limites approximatives : INSEE, Etalab (Licence Ouverte 2.0)"


def _valid(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None
        and lon is not None
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def address(structure: Structure) -> str:
    """One line: street, complement, postal code and commune, whatever is known."""
    commune = structure.commune_nom or (structure.commune.nom if structure.commune_id else "")
    town = " ".join(p for p in (structure.code_postal, commune) if p)
    return ", ".join(p for p in (structure.adresse, structure.complement_adresse, town) if p)


def marker(structure: Structure) -> dict[str, Any] | None:
    """The marker of one structure; its commune's centre when it has no position of its own, else None."""
    lat, lon, approximate = structure.latitude, structure.longitude, False
    if not _valid(lat, lon) and structure.commune_id:
        lat, lon, approximate = structure.commune.latitude, structure.commune.longitude, True
    if not _valid(lat, lon):
        return None
    return {
        "id": structure.di_id,
        "nom": structure.nom,
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "adresse": address(structure),
        "url": structure_url(structure),
        "approximatif": approximate,
    }


def markers(structures: Iterable[Structure]) -> list[dict[str, Any]]:
    """Markers in the order of the list, each structure once."""
    seen: set[str] = set()
    found = []
    for structure in structures:
        if structure.di_id in seen:
            continue
        seen.add(structure.di_id)
        item = marker(structure)
        if item is not None:
            found.append(item)
    return found


def markers_for_ids(ids: Iterable[str]) -> list[dict[str, Any]]:
    """Markers for structures known by id (the answer page's cards), in the given order."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    by_id = {
        s.di_id: s for s in Structure.objects.active().filter(di_id__in=wanted).select_related("commune")
    }
    return markers(by_id[i] for i in wanted if i in by_id)


def config() -> dict[str, Any]:
    """The map's settings for map.js: tile source (empty = offline basemap) and the basemap's places file."""
    tiles = getattr(settings, "SPRO_MAP_TILES_URL", "")
    return {
        "tuiles": tiles,
        "attribution": getattr(settings, "SPRO_MAP_TILES_ATTRIBUTION", "") if tiles else OFFLINE_ATTRIBUTION,
        "zoom_max": getattr(settings, "SPRO_MAP_TILES_MAX_ZOOM", 18) if tiles else 13,
        "fond": "" if tiles else static("directory/map-basemap.json"),
        # Leaflet guesses its marker images from its stylesheet's URL, which hashed static names break: name them.
        "icone": {
            name: static(f"core/vendor/leaflet/images/{name}.png")
            for name in ("marker-icon", "marker-icon-2x", "marker-shadow")
        },
    }


def context(
    structures: Iterable[Structure] | None = None, ids: Iterable[str] | None = None
) -> dict[str, Any]:
    """`carte` for a page's template: the markers and the configuration, or no markers at all."""
    found = markers(structures) if structures is not None else markers_for_ids(ids or [])
    return {"markers": found, "config": config() if found else {}}
