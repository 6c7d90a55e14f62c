"""The levels of territory a figure or a record is attached to (`territoire_niveau`): one code list for the State
services' figures (`spro.statedata`) and the register of good practices (`spro.practices`).

Each code has its label (`TerritoryLevel.label`) and a description of the code expected at that level
(`TERRITORY_DESCRIPTIONS`; the formats themselves are in `spro/core/codes.py`). Codes are stored and never renamed:
add new ones.
"""

from __future__ import annotations

from django.db import models


class TerritoryLevel(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    BASSIN = "bassin", "Bassin d’emploi"
    REGION = "region", "Région"


TERRITORY_DESCRIPTIONS: dict[str, str] = {
    "commune": "Code INSEE de la commune (5 caractères, ex. 35238).",
    "epci": "SIREN de l’EPCI (9 chiffres, ex. 243500139).",
    "departement": "Code INSEE du département (ex. 35, 2A, 974).",
    "bassin": "Code du bassin d’emploi (BMO, ex. 5303).",
    "region": "Code INSEE de la région (ex. 53).",
}

assert set(TERRITORY_DESCRIPTIONS) == set(TerritoryLevel.values)  # import-time check
