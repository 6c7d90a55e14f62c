"""Reading a dropout list: the contract's columns (docs/contracts.md « Dropout lists »), one line validated, the
whole file validated (pass 1 of `spro.dropouts.importing`), and the valid lines read again as `Row`s (pass 2).

The CSV reading (encoding, header, line errors, `LineError`, `ImportRejected`, `file_sha256`) is the platform's,
`spro/core/csvfiles.py`, and stays importable from here; the columns and the rules of their values are here.
Streaming: the file is read line by line (csv over a text stream), never held whole; pass 1 keeps only the INE
already seen, to find one given twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from spro.core import codes
from spro.core.csvfiles import ImportRejected as ImportRejected  # kept importable from here
from spro.core.csvfiles import LineError, Record, read_records
from spro.core.csvfiles import file_sha256 as file_sha256  # kept importable from here
from spro.dropouts.vocabularies import SchoolStatus
from spro.dropouts.zones import age_on

REQUIRED = ("nom", "prenom", "date_naissance", "commune", "date_sortie", "statut")
OPTIONAL = ("ine", "telephone", "courriel", "responsable_legal", "uai", "formation")
COLUMNS = REQUIRED + OPTIONAL

#: Ages accepted (whole years): at least MIN_AGE on the leaving date, at most MAX_AGE on the day of the import.
MIN_AGE = 15
MAX_AGE = 26

CAMPAIGN_CODE = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\Z")
_DATE_ISO = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_DATE_FR = re.compile(r"\A\d{2}/\d{2}/\d{4}\Z")


@dataclass
class Row:
    line: int
    nom: str
    prenom: str
    birth_date: date
    commune: str
    left_on: date
    school_status: str
    ine: str = ""
    telephone: str = ""
    courriel: str = ""
    responsable_legal: str = ""
    uai: str = ""
    formation: str = ""

    def values(self) -> dict[str, str]:
        """The line's values as text (JSON-safe), without its number."""
        return {
            "nom": self.nom,
            "prenom": self.prenom,
            "birth_date": self.birth_date.isoformat(),
            "commune": self.commune,
            "left_on": self.left_on.isoformat(),
            "school_status": self.school_status,
            "ine": self.ine,
            "telephone": self.telephone,
            "courriel": self.courriel,
            "responsable_legal": self.responsable_legal,
            "uai": self.uai,
            "formation": self.formation,
        }


def parse_mapping(text: str) -> dict[str, str]:
    """`--correspondance "NOM_ELEVE=nom,INE_ELEVE=ine"`: source header → contract column (case-insensitive)."""
    mapping: dict[str, str] = {}
    for part in filter(None, (item.strip() for item in (text or "").split(","))):
        source, sep, target = part.partition("=")
        target = target.strip().lower()
        if not sep or not source.strip() or target not in COLUMNS:
            raise ValueError(
                f"correspondance « {part} » : écrire colonne_source=colonne, colonne parmi {', '.join(COLUMNS)}"
            )
        mapping[source.strip().lower()] = target
    return mapping


def parse_date(text: str) -> date | None:
    try:
        if _DATE_ISO.match(text):
            return date.fromisoformat(text)
        if _DATE_FR.match(text):
            return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None
    return None


def _records(path: Path, mapping: dict[str, str]) -> Iterator[Record]:
    """(line number, values by contract column, header or line errors), streaming. The header's problems come
    as line 1 with no values; then nothing more is read."""
    return read_records(path, required=REQUIRED, rename=mapping)


def validate_record(line: int, values: dict[str, str], today: date) -> tuple[Row | None, list[LineError]]:
    errors: list[LineError] = []

    def error(champ: str, message: str) -> None:
        errors.append(LineError(line, champ, message))

    for column in ("nom", "prenom"):
        if not values.get(column):
            error(column, "obligatoire")
        elif len(values[column]) > 150:
            error(column, "trop long (150 caractères au plus)")
    dates: dict[str, date] = {}
    for column in ("date_naissance", "date_sortie"):
        raw = values.get(column, "")
        parsed = parse_date(raw) if raw else None
        if not raw:
            error(column, "obligatoire")
        elif parsed is None:
            error(column, f"date invalide « {raw} » (AAAA-MM-JJ ou JJ/MM/AAAA)")
        elif parsed > today:
            error(column, f"date dans le futur ({parsed.isoformat()})")
        else:
            dates[column] = parsed
    birth, left = dates.get("date_naissance"), dates.get("date_sortie")
    if birth and left:
        if left < birth:
            error("date_sortie", "antérieure à la date de naissance")
        elif age_on(birth, left) < MIN_AGE:
            error("date_naissance", f"moins de {MIN_AGE} ans à la date de sortie ({age_on(birth, left)} ans)")
        elif age_on(birth, today) > MAX_AGE:
            error(
                "date_naissance", f"plus de {MAX_AGE} ans à la date de l’import ({age_on(birth, today)} ans)"
            )
    commune = values.get("commune", "").upper()
    if not commune:
        error("commune", "obligatoire")
    elif not codes.INSEE_COMMUNE.match(commune):
        error("commune", f"code INSEE de commune invalide « {commune} » (5 caractères, ex. 35238)")
    statut = values.get("statut", "").lower()
    if statut not in SchoolStatus.values:
        error("statut", f"statut « {values.get('statut', '')} » inconnu : scolaire ou apprenti")
    ine = values.get("ine", "").upper()
    if ine and not codes.INE.match(ine):
        error("ine", f"INE invalide « {values.get('ine', '')} » (11 chiffres ou lettres)")
    uai = values.get("uai", "").upper()
    if uai and not codes.UAI_LOOSE.match(uai):
        error("uai", f"UAI invalide « {values.get('uai', '')} » (8 caractères, ex. 0350028C)")
    for column, limit in (
        ("telephone", 30),
        ("courriel", 254),
        ("responsable_legal", 300),
        ("formation", 300),
    ):
        if len(values.get(column, "")) > limit:
            error(column, f"trop long ({limit} caractères au plus)")
    if errors or birth is None or left is None:
        return None, errors
    return (
        Row(
            line=line,
            nom=values["nom"],
            prenom=values["prenom"],
            birth_date=birth,
            commune=commune,
            left_on=left,
            school_status=statut,
            ine=ine,
            telephone=values.get("telephone", ""),
            courriel=values.get("courriel", ""),
            responsable_legal=values.get("responsable_legal", ""),
            uai=uai,
            formation=values.get("formation", ""),
        ),
        [],
    )


def validate_file(path: Path, mapping: dict[str, str], today: date) -> list[LineError]:
    """Every error of the file (pass 1; nothing kept but the INE seen, to find one given twice)."""
    errors: list[LineError] = []
    seen_ine: dict[str, int] = {}
    lines = 0
    for line, values, problems in _records(path, mapping):
        errors.extend(problems)
        if values is None:
            continue
        lines += 1
        row, problems = validate_record(line, values, today)
        errors.extend(problems)
        if row is not None and row.ine:
            if row.ine in seen_ine:
                errors.append(LineError(line, "ine", f"INE déjà donné ligne {seen_ine[row.ine]}"))
            else:
                seen_ine[row.ine] = line
    if not errors and lines == 0:
        errors.append(LineError(1, "", "aucune ligne de données"))
    return errors


def read_rows(path: Path, mapping: dict[str, str], today: date) -> Iterator[Row]:
    for line, values, _ in _records(path, mapping):
        if values is not None:
            row, _ = validate_record(line, values, today)
            if row is not None:
                yield row
