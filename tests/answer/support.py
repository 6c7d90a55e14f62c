"""Support for the interface tests (service, API, CLI, pages): a few real communes."""

from __future__ import annotations

from tests.geography import Row, add_communes

#: code → (nom, département, latitude, longitude): real COG codes and coordinates.
COMMUNES = {
    "35238": ("Rennes", "35", 48.1113, -1.6800),
    "29019": ("Brest", "29", 48.3904, -4.4861),
    "29232": ("Quimper", "29", 47.9960, -4.1024),
}


def make_communes() -> None:
    """Région 53, two départements and three communes (enough for validation, routing and statistics)."""
    add_communes(
        *(
            Row(code, nom, dep, (f"{dep}000",), lat=lat, lon=lon)
            for code, (nom, dep, lat, lon) in COMMUNES.items()
        )
    )
