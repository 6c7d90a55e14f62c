"""Reading a State figures file (docs/donnees-etat.md): UTF-8, `;`, a header; every line validated, every error
kept with its line and field, so that a file is accepted whole or rejected whole. The reading itself (encoding,
header, line errors, `ImportRejected`) is the platform's CSV reading, `spro/core/csvfiles.py`, shared with the
dropout lists; the columns and the rules of their values are here.

The territory codes are checked against the referentials (geography): one query per distinct code, memoised for
the file, so a file of thousands of lines over a few hundred territories costs a few hundred small queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spro.core import codes
from spro.core.csvfiles import ImportRejected, LineError, Record, read_records
from spro.core.csvfiles import file_sha256 as file_sha256  # kept importable from here
from spro.core.vocabularies.territoires import TerritoryLevel
from spro.referentials.geo.models import BassinEmploi, Commune, Departement, Epci, Region
from spro.statedata.vocabularies import Indicator, Service

REQUIRED = ("service", "periode", "territoire_niveau", "territoire_code", "indicateur", "valeur")
OPTIONAL = ("source",)
COLUMNS = REQUIRED + OPTIONAL

#: AAAA, AAAA-Tn (quarter 1 to 4) or AAAA-MM.
PERIOD = re.compile(r"\A(?:\d{4}|\d{4}-T[1-4]|\d{4}-(?:0[1-9]|1[0-2]))\Z")
MAX_VALUE = 10_000_000
SOURCE_MAX = 200

_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "commune": (codes.INSEE_COMMUNE, "code INSEE de commune (5 caractères, ex. 35238)"),
    "epci": (codes.SIREN, "SIREN d’EPCI (9 chiffres)"),
    "departement": (codes.DEPARTEMENT, "code de département (ex. 35, 2A, 974)"),
    "bassin": (re.compile(r"\A[0-9A-Z]{1,6}\Z"), "code de bassin d’emploi (ex. 5303)"),
    "region": (codes.REGION, "code de région (ex. 53)"),
}


@dataclass(frozen=True)
class Row:
    line: int
    service: str
    period: str
    territory_level: str
    territory_code: str
    indicator: str
    value: int
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.service, self.period, self.territory_level, self.territory_code, self.indicator)


class TerritoryChecker:
    """Whether a territory code exists in the referentials, memoised per (level, code)."""

    _MODELS: dict[str, Callable[[str], bool]] = {
        "commune": lambda code: Commune.objects.filter(code_insee=code).exists(),
        "epci": lambda code: Epci.objects.filter(code=code).exists(),
        "departement": lambda code: Departement.objects.filter(code=code).exists(),
        "bassin": lambda code: BassinEmploi.objects.filter(code=code).exists(),
        "region": lambda code: Region.objects.filter(code=code).exists(),
    }

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], bool] = {}

    def exists(self, level: str, code: str) -> bool:
        key = (level, code)
        if key not in self._known:
            self._known[key] = self._MODELS[level](code)
        return self._known[key]


def _choices_text(values: Iterable[str]) -> str:
    return ", ".join(values)


def validate_record(
    line: int, values: dict[str, str], territories: TerritoryChecker
) -> tuple[Row | None, list[LineError]]:
    errors: list[LineError] = []

    def error(champ: str, message: str) -> None:
        errors.append(LineError(line, champ, message))

    service = values.get("service", "").lower()
    if not service:
        error("service", "obligatoire")
    elif service not in Service.values:
        error("service", f"service « {values['service']} » inconnu : {_choices_text(Service.values)}")
    period = values.get("periode", "").upper()
    if not period:
        error("periode", "obligatoire")
    elif not PERIOD.match(period):
        error("periode", f"période « {values['periode']} » invalide : AAAA, AAAA-Tn (n de 1 à 4) ou AAAA-MM")
    level = values.get("territoire_niveau", "").lower()
    code = values.get("territoire_code", "").upper()
    if not level:
        error("territoire_niveau", "obligatoire")
    elif level not in TerritoryLevel.values:
        error(
            "territoire_niveau",
            f"niveau « {values['territoire_niveau']} » inconnu : {_choices_text(TerritoryLevel.values)}",
        )
    if not code:
        error("territoire_code", "obligatoire")
    elif level in _FORMATS:
        pattern, expected = _FORMATS[level]
        if not pattern.match(code):
            error("territoire_code", f"« {values['territoire_code']} » : {expected} attendu")
        elif not territories.exists(level, code):
            error(
                "territoire_code",
                f"{TerritoryLevel(level).label.lower()} « {code} » inconnu des référentiels",
            )
    indicator = values.get("indicateur", "").lower()
    if not indicator:
        error("indicateur", "obligatoire")
    elif indicator not in Indicator.values:
        error(
            "indicateur",
            f"indicateur « {values['indicateur']} » inconnu : {_choices_text(Indicator.values)}",
        )
    raw_value = values.get("valeur", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    value: int | None = None
    if not raw_value:
        error("valeur", "obligatoire")
    elif not raw_value.isdigit():
        error("valeur", f"« {values['valeur']} » : un entier positif ou nul est attendu (ex. 120)")
    elif int(raw_value) > MAX_VALUE:
        error("valeur", f"valeur trop grande ({MAX_VALUE} au plus)")
    else:
        value = int(raw_value)
    source = values.get("source", "")
    if len(source) > SOURCE_MAX:
        error("source", f"trop long ({SOURCE_MAX} caractères au plus)")
    if errors or value is None:
        return None, errors
    return Row(line, service, period, level, code, indicator, value, source), []


def _records(path: Path) -> Iterator[Record]:
    """(line number, values by column, header or line errors), streaming; header problems stop the reading."""
    return read_records(path, required=REQUIRED, known=COLUMNS)


def read_file(path: Path) -> list[Row]:
    """Every valid line, or `ImportRejected` with every error (a key given twice in the file is one)."""
    errors: list[LineError] = []
    rows: list[Row] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    territories = TerritoryChecker()
    for line, values, problems in _records(path):
        errors.extend(problems)
        if values is None:
            continue
        row, problems = validate_record(line, values, territories)
        errors.extend(problems)
        if row is None:
            continue
        if row.key in seen:
            errors.append(
                LineError(
                    line, "", f"même service, période, territoire et indicateur que la ligne {seen[row.key]}"
                )
            )
        else:
            seen[row.key] = line
            rows.append(row)
    if not errors and not rows:
        errors.append(LineError(1, "", "aucune ligne de données"))
    if errors:
        raise ImportRejected(errors)
    return rows
