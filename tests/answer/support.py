"""Support for the interface tests (service, API, CLI, pages): a few real communes."""

from __future__ import annotations

#: code → (nom, département, latitude, longitude): real COG codes and coordinates.
COMMUNES = {
    "35238": ("Rennes", "35", 48.1113, -1.6800),
    "29019": ("Brest", "29", 48.3904, -4.4861),
    "29232": ("Quimper", "29", 47.9960, -4.1024),
}


def make_communes() -> None:
    """Région 53, two départements and three communes (enough for validation, routing and statistics)."""
    from spro.referentials.geo.models import Commune, Departement, Region

    region = Region.objects.create(code="53", nom="Bretagne", zone="metro")
    for code, nom in (("29", "Finistère"), ("35", "Ille-et-Vilaine")):
        Departement.objects.create(code=code, nom=nom, region=region, zone="metro")
    for code, (nom, dep, lat, lon) in COMMUNES.items():
        Commune.objects.create(
            code_insee=code,
            nom=nom,
            type=Commune.Type.COMMUNE,
            departement_id=dep,
            region=region,
            codes_postaux=[f"{dep}000"],
            latitude=lat,
            longitude=lon,
        )
