"""Geo search in the directory: the nearest structures to a commune or a point, same code on SQLite and PostgreSQL.

How: a bounding box around the point (latitude ± r / 111.2 km, longitude ± r / (111.2 km · cos latitude)) filters
on the indexed `latitude`/`longitude` columns, with the typologie, age and zone-of-competence filters in SQL; the
exact great-circle (haversine) distance of the few remaining rows is computed in Python, rows beyond the radius are
dropped, and the publics and "open at" filters applied. No PostGIS.

Ordering is neutral and documented: by distance, then name, then id; no operator is favoured. Structures with no
zone of competence declared are kept by the zone filter (unknown is not "outside"); structures temporarily closed
on the day are dropped by the "open" filter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from spro.directory import opening_hours
from spro.directory.distance import haversine_km
from spro.directory.models import Structure
from spro.referentials.geo.models import Commune

KM_PER_DEGREE = 111.2
DEFAULT_RADIUS_KM = 30.0
MAX_RADIUS_KM = 200.0


class SearchError(ValueError):
    """Bad input: `code` is the API's error code."""

    def __init__(self, detail: str, code: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass
class Hit:
    structure: Structure
    distance_km: float | None


@dataclass
class Results:
    hits: list[Hit]
    total: int
    commune: Commune | None = None
    rayon_km: float | None = None
    filters: dict = field(default_factory=dict)


def find_commune(code: str) -> Commune:
    commune = Commune.objects.filter(code_insee=code, is_active=True).first()
    if commune is None:
        raise SearchError(
            f"Commune inconnue : « {code} » (code INSEE attendu, par exemple 35238).", "commune-inconnue"
        )
    if commune.latitude is None:
        raise SearchError(f"La commune {commune.nom} n'a pas de coordonnées.", "commune-without-coordinates")
    return commune


def _bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return Q(
        latitude__gte=latitude - dlat,
        latitude__lte=latitude + dlat,
        longitude__gte=longitude - dlon,
        longitude__lte=longitude + dlon,
    )


def is_open(structure: Structure, moment: dt.datetime) -> bool | None:
    """True/False when the hours can be read, None when unknown. A temporary closure makes it False."""
    if structure.closure_on(moment.date()):
        return False
    if not structure.horaires_accueil:
        return None
    try:
        return opening_hours.parse(structure.horaires_accueil).is_open(moment)
    except opening_hours.OpeningHoursError:
        return None


def nearest(
    *,
    commune: Commune | str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    rayon_km: float | None = DEFAULT_RADIUS_KM,
    typologie: str | None = None,
    typologies: Iterable[str] | None = None,
    competence: bool = True,
    age: int | None = None,
    public: str | None = None,
    ouvert_le: dt.datetime | None = None,
    limit: int | None = 10,
    offset: int = 0,
) -> Results:
    """Structures within `rayon_km` of the commune (or point), nearest first.

    `competence=True` (with a commune) keeps only structures whose zone of competence covers the commune.
    `age` keeps structures whose age limits include it; `public` those that list it (or `tous-publics`, or none);
    `ouvert_le` those open at that moment (hours known and not temporarily closed). `typologies` keeps several
    typologies at once (one query where a caller would otherwise make one per typology). `rayon_km=None` (with a
    commune and `competence=True`): the structures competent for the commune however far (a regional office).
    """
    if isinstance(commune, str):
        commune = find_commune(commune)
    if commune is not None:
        latitude, longitude = commune.latitude, commune.longitude
    if latitude is None or longitude is None:
        raise SearchError("Indiquez une commune ou une position (latitude et longitude).", "missing-location")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise SearchError("Position hors limites.", "invalid-location")
    if rayon_km is None:
        if not (competence and commune is not None):
            raise SearchError(
                "Sans rayon, seules les structures compétentes pour une commune.", "invalid-radius"
            )
    elif not (0 < rayon_km <= MAX_RADIUS_KM):
        raise SearchError(f"Le rayon doit être compris entre 0 et {MAX_RADIUS_KM:g} km.", "invalid-radius")

    queryset = Structure.objects.active()
    if rayon_km is not None:
        queryset = queryset.filter(_bounding_box(latitude, longitude, rayon_km))
    if typologie:
        queryset = queryset.filter(typologie=typologie)
    if typologies is not None:
        queryset = queryset.filter(typologie__in=list(typologies))
    if age is not None:
        queryset = queryset.filter(Q(age_min__isnull=True) | Q(age_min__lte=age)).filter(
            Q(age_max__isnull=True) | Q(age_max__gte=age)
        )
    if competence and commune is not None:
        queryset = queryset.covering(commune)

    hits = []
    for structure in queryset.select_related("commune"):
        if structure.latitude is None or structure.longitude is None:
            continue
        distance = haversine_km(latitude, longitude, structure.latitude, structure.longitude)
        if rayon_km is not None and distance > rayon_km:
            continue
        if (
            public
            and structure.publics
            and public not in structure.publics
            and "tous-publics" not in structure.publics
        ):
            continue
        if ouvert_le is not None and is_open(structure, ouvert_le) is not True:
            continue
        hits.append(Hit(structure, round(distance, 3)))
    hits.sort(key=lambda hit: (hit.distance_km, hit.structure.nom, hit.structure.pk))
    total = len(hits)
    page = hits[offset : offset + limit] if limit is not None else hits[offset:]
    return Results(page, total, commune, rayon_km)


def listing(*, typologie: str | None = None, limit: int = 10, offset: int = 0) -> Results:
    """Without a place: active structures in name order (no distance)."""
    queryset = Structure.objects.active().select_related("commune")
    if typologie:
        queryset = queryset.filter(typologie=typologie)
    total = queryset.count()
    return Results([Hit(s, None) for s in queryset.order_by("nom", "pk")[offset : offset + limit]], total)
