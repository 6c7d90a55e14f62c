"""One home for the communes the tests create (issue 13: the same set-up was written in five test modules).

`add_communes(Row(...), ...)` creates the région, the départements the rows need and the communes, so that a test
states only what matters to it (codes, postal codes, population, coordinates, bassin d'emploi, EPCI).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Names of the départements tests use (a département not listed is named by its code).
DEPARTEMENTS = {
    "14": "Calvados",
    "22": "Côtes-d'Armor",
    "29": "Finistère",
    "35": "Ille-et-Vilaine",
    "56": "Morbihan",
    "93": "Seine-Saint-Denis",
    "2A": "Corse-du-Sud",
    "974": "La Réunion",
}


@dataclass(frozen=True)
class Row:
    """One commune: real COG codes where a test relies on them."""

    code: str
    nom: str
    departement: str
    postaux: tuple[str, ...] = ()
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    bassin: str | None = None
    epci: str | None = None


def add_communes(
    *rows: Row, region: str = "53", region_nom: str = "Bretagne", extra_departements: tuple[str, ...] = ()
) -> None:
    """Create the région (once), each département the rows name or `extra_departements` lists (once), and the
    communes."""
    from spro.referentials.geo.models import Commune, Departement, Epci, Region

    zone = "metro"
    region_obj, _ = Region.objects.get_or_create(code=region, defaults={"nom": region_nom, "zone": zone})
    for code in dict.fromkeys([*(row.departement for row in rows), *extra_departements]):
        Departement.objects.get_or_create(
            code=code, defaults={"nom": DEPARTEMENTS.get(code, code), "region": region_obj, "zone": zone}
        )
    for row in rows:
        if row.epci:
            Epci.objects.get_or_create(code=row.epci, defaults={"nom": f"EPCI de {row.nom}", "type": "CA"})
        Commune.objects.create(
            code_insee=row.code,
            nom=row.nom,
            type=Commune.Type.COMMUNE,
            departement_id=row.departement,
            region=region_obj,
            codes_postaux=list(row.postaux),
            population=row.population,
            latitude=row.lat,
            longitude=row.lon,
            bassin_emploi_id=row.bassin,
            epci_id=row.epci,
        )
