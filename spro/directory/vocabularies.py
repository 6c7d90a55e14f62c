"""The directory's controlled vocabularies, read from the data files shipped in `data/directory/`.

* data·inclusion v1 enumerations (thématiques, publics, types, frais, modes…): from the official JSON schema
  (`data/directory/schema/v1/*.json`), so that what the import accepts is exactly what the schema accepts;
* `typologie`: the data·inclusion v0 structure typologies plus the SPRO members they lack (CIO, APEC,
  TRANSITIONS_PRO, CEP, SCUIO, PSAD, DAVA), `data/directory/referentiels/typologies_de_structures.csv`;
* SPRO extensions: `langues` (ISO 639, `fsl` = LSF) and `canaux` (walk-in, phone, video, e-mail, chat).
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

from django.conf import settings


def data_dir() -> Path:
    return Path(settings.DATA_DIR) / "directory"


def _csv_labels(name: str) -> dict[str, str]:
    with open(data_dir() / "referentiels" / name, encoding="utf-8", newline="") as handle:
        return {row["value"]: row["label"] for row in csv.DictReader(handle)}


@cache
def schema(kind: str) -> dict:
    """The official data·inclusion v1 JSON schema of a `structure` or a `service`."""
    with open(data_dir() / "schema" / "v1" / f"{kind}.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def typologies() -> dict[str, str]:
    return _csv_labels("typologies_de_structures.csv")


@cache
def thematiques() -> dict[str, str]:
    return _csv_labels("thematiques_v1.csv")


@cache
def publics() -> dict[str, str]:
    return _csv_labels("publics_v1.csv")


@cache
def types_de_services() -> dict[str, str]:
    return _csv_labels("types_de_services_v1.csv")


@cache
def modes_accueil() -> dict[str, str]:
    return _csv_labels("modes_accueil_v1.csv")


@cache
def modes_mobilisation() -> dict[str, str]:
    return _csv_labels("modes_mobilisation_v1.csv")


@cache
def langues() -> dict[str, str]:
    return _csv_labels("langues.csv")


@cache
def canaux() -> dict[str, str]:
    return _csv_labels("canaux.csv")


#: The SPRO typologies that docs/contracts.md#vocabularies adds to the data·inclusion list.
SPRO_TYPOLOGIES = ("CIO", "APEC", "TRANSITIONS_PRO", "CEP", "SCUIO", "PSAD", "DAVA")


def labels(values: list[str] | None, vocabulary: dict[str, str]) -> list[str]:
    return [vocabulary.get(value, value) for value in values or []]
