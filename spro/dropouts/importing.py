"""`spro decrochage import`: a campaign's list in, validated whole, merged into the young people already known,
assigned (docs/decrochage.md, contract in docs/contracts.md « Dropout lists »).

Two passes over the file, both streaming (memory stays flat whatever the file's size):
1. validate every line (columns, dates, ages, INE and INSEE formats, statut, an INE twice in the file); any error
   and the file is rejected whole, every error listed, nothing written;
2. in one transaction, by batches of `BATCH` lines: a line already imported (same content, same campaign: a keyed
   hash of the line, `ImportedLine`) is `inchangé`; else it is matched to a young person by INE, then by names +
   birth date (accents, hyphens, spaces and case ignored); a match is merged (`MergeRecord`, reversible), else a
   young person is created. Each young person created or changed is assigned (zone, partner) and gets its list.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from spro.core import codes, crypto
from spro.core.normaliser import fold
from spro.dropouts.models import (
    Campaign,
    ImportedLine,
    ImportRun,
    Listing,
    MatchedBy,
    MergeRecord,
    YoungPerson,
)
from spro.dropouts.rows import insert_rows, update_rows
from spro.dropouts.vocabularies import COMPUTED_PRIORITIES, Priority, SchoolStatus
from spro.dropouts.zones import Assigner, age_on

BATCH = 1000

REQUIRED = ("nom", "prenom", "date_naissance", "commune", "date_sortie", "statut")
OPTIONAL = ("ine", "telephone", "courriel", "responsable_legal", "uai", "formation")
COLUMNS = REQUIRED + OPTIONAL

#: Ages accepted (whole years): at least MIN_AGE on the leaving date, at most MAX_AGE on the day of the import.
MIN_AGE = 15
MAX_AGE = 26

CAMPAIGN_CODE = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\Z")
_DATE_ISO = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_DATE_FR = re.compile(r"\A\d{2}/\d{2}/\d{4}\Z")
_LETTERS = re.compile(r"[^a-z]+")

#: The fields a merge may change, in the order they are shown.
MERGED_FIELDS = (
    "ine",
    "commune",
    "telephone",
    "courriel",
    "responsable_legal",
    "uai",
    "formation",
    "left_on",
    "school_status",
)


class ImportRejected(Exception):
    """The file is rejected: `errors` lists every problem (nothing was written)."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors


@dataclass(frozen=True)
class LineError:
    ligne: int
    champ: str
    message: str


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


@dataclass
class ImportResult:
    crees: int = 0
    fusionnes: int = 0
    inchanges: int = 0
    erreurs: list[LineError] = field(default_factory=list)
    run_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "crees": self.crees,
            "fusionnes": self.fusionnes,
            "inchanges": self.inchanges,
            "erreurs": [asdict(error) for error in self.erreurs],
        }


# --- identity --------------------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """A name folded for matching: accents, case, hyphens, apostrophes and spaces ignored (« Lé-Gall » = « LEGALL »)."""
    return _LETTERS.sub("", fold(text))


def identity_hash(nom: str, prenom: str, birth_date: date) -> str:
    return crypto.keyed_hash(f"identite|{name_key(nom)}|{name_key(prenom)}|{birth_date.isoformat()}")


def ine_hash(ine: str) -> str | None:
    return crypto.keyed_hash(f"ine|{ine}") if ine else None


def line_fingerprint(row: Row, campaign: str) -> str:
    values = row.values()
    return crypto.keyed_hash(
        "ligne|" + campaign + "|" + json.dumps(values, sort_keys=True, ensure_ascii=False)
    )


# --- reading and validating --------------------------------------------------------------------------------------


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


def _records(
    path: Path, mapping: dict[str, str]
) -> Iterator[tuple[int, dict[str, str] | None, list[LineError]]]:
    """(line number, values by contract column, header or line errors), streaming. The header's problems come
    as line 1 with no values; then nothing more is read."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                yield 1, None, [LineError(1, "", "fichier vide : une ligne d’en-tête est attendue")]
                return
            names = [mapping.get(name.strip().lower(), name.strip().lower()) for name in header]
            problems = [
                LineError(1, column, "colonne obligatoire absente")
                for column in REQUIRED
                if column not in names
            ]
            doubled = sorted({name for name in names if name and names.count(name) > 1})
            problems += [LineError(1, name, "colonne en double") for name in doubled]
            if problems:
                yield 1, None, problems
                return
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(names):
                    yield (
                        line,
                        None,
                        [
                            LineError(
                                line,
                                "",
                                f"{len(cells)} colonne(s) au lieu de {len(names)} (séparateur « ; »)",
                            )
                        ],
                    )
                    continue
                yield line, {name: cell.strip() for name, cell in zip(names, cells, strict=True)}, []
        except UnicodeDecodeError:
            bad, byte = _first_bad_line(path)
            yield (
                bad,
                None,
                [
                    LineError(
                        bad,
                        "",
                        f"encodage : le fichier n’est pas en UTF-8 (octet 0x{byte:02x} illisible ligne {bad}) ; "
                        "enregistrez-le en UTF-8",
                    )
                ],
            )
        except csv.Error as exc:
            yield line + 1, None, [LineError(line + 1, "", f"CSV illisible : {exc}")]


def _first_bad_line(path: Path) -> tuple[int, int]:
    """The first line that is not UTF-8, and its first unreadable byte (read again in binary, line by line)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                return number, raw[exc.start]
    return 1, 0


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


def _rows(path: Path, mapping: dict[str, str], today: date) -> Iterator[Row]:
    for line, values, _ in _records(path, mapping):
        if values is not None:
            row, _ = validate_record(line, values, today)
            if row is not None:
                yield row


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- writing -----------------------------------------------------------------------------------------------------


def campaign_for(code: str) -> Campaign:
    match = CAMPAIGN_CODE.match(code or "")
    if not match:
        raise ValueError(f"campagne « {code} » : AAAA-MM attendu (ex. 2026-11)")
    campaign, _ = Campaign.objects.get_or_create(
        code=code, defaults={"opened_on": date(int(match[1]), int(match[2]), 1)}
    )
    return campaign


def computed_priority(birth_date: date, today: date) -> str:
    """Minors of 16 and 17, under the obligation of training (16–18): `prioritaire`; the others `a_contacter`."""
    return Priority.PRIORITAIRE if 16 <= age_on(birth_date, today) < 18 else Priority.A_CONTACTER


def apply_assignment(person: YoungPerson, assigner: Assigner, today: date) -> None:
    assignment = assigner.assign(
        commune=person.commune,
        school_status=person.school_status,
        birth_date=person.birth_date,
        uai=person.uai,
        today=today,
    )
    person.zone_id = assignment.zone_id
    person.partner_id = assignment.partner_id
    if person.priority in COMPUTED_PRIORITIES:
        person.priority = computed_priority(person.birth_date, today)


def _field_value(row: Row, name: str) -> Any:
    return {"left_on": row.left_on, "school_status": row.school_status}.get(name, getattr(row, name, None))


def new_person(row: Row, *, hashed_ine: str | None = None, identity: str = "") -> YoungPerson:
    """A young person from a line (its hashes computed here unless the caller has them)."""
    return YoungPerson(
        ine_hash=hashed_ine if identity else ine_hash(row.ine),
        ine=row.ine,
        identity_hash=identity or identity_hash(row.nom, row.prenom, row.birth_date),
        nom=row.nom,
        prenom=row.prenom,
        birth_date=row.birth_date,
        commune=row.commune,
        telephone=row.telephone,
        courriel=row.courriel,
        responsable_legal=row.responsable_legal,
        uai=row.uai,
        formation=row.formation,
        left_on=row.left_on,
        school_status=row.school_status,
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class _Batch:
    """One batch's writes, flushed together."""

    def __init__(self) -> None:
        self.created: list[YoungPerson] = []
        self.changed: dict[int, YoungPerson] = {}
        self.listings: list[Listing] = []
        self.lines: list[ImportedLine] = []
        self.merges: list[MergeRecord] = []


def import_list(
    path: Path,
    campaign_code: str,
    *,
    mapping: dict[str, str] | None = None,
    user=None,
    today: date | None = None,
) -> ImportResult:
    """Import one list; `ImportRejected` (nothing written) when any line is invalid."""
    today = today or timezone.localdate()
    mapping = mapping or {}
    if not CAMPAIGN_CODE.match(campaign_code or ""):
        raise ImportRejected(
            [LineError(0, "campagne", f"« {campaign_code} » : AAAA-MM attendu (ex. 2026-11)")]
        )
    errors = validate_file(path, mapping, today)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        campaign = campaign_for(campaign_code)
        run = ImportRun.objects.create(
            campaign=campaign, file_name=path.name[:300], sha256=file_sha256(path), by=user
        )
        assigner = Assigner()
        batch: list[Row] = []
        lines = 0
        for row in _rows(path, mapping, today):
            batch.append(row)
            lines += 1
            if len(batch) >= BATCH:
                _import_batch(batch, campaign, run, assigner, today, result)
                batch = []
        if batch:
            _import_batch(batch, campaign, run, assigner, today, result)
        run.lines, run.created, run.merged, run.unchanged = (
            lines,
            result.crees,
            result.fusionnes,
            result.inchanges,
        )
        run.save(update_fields=["lines", "created", "merged", "unchanged"])
        result.run_id = run.pk
    return result


def _import_batch(
    rows: list[Row], campaign: Campaign, run: ImportRun, assigner: Assigner, today: date, result: ImportResult
) -> None:
    prints = {row.line: line_fingerprint(row, campaign.code) for row in rows}
    seen = set(
        ImportedLine.objects.filter(fingerprint__in=prints.values()).values_list("fingerprint", flat=True)
    )
    todo = [row for row in rows if prints[row.line] not in seen]
    ine_hashes = {row.line: ine_hash(row.ine) for row in todo}
    identities = {row.line: identity_hash(row.nom, row.prenom, row.birth_date) for row in todo}
    known = YoungPerson.objects.filter(
        Q(ine_hash__in=[h for h in ine_hashes.values() if h]) | Q(identity_hash__in=identities.values())
    ).order_by("pk")
    by_ine: dict[str, YoungPerson] = {}
    by_identity: dict[str, list[YoungPerson]] = {}
    for match in known:
        if match.ine_hash:
            by_ine[match.ine_hash] = match
        by_identity.setdefault(match.identity_hash, []).append(match)
    listed = set(
        Listing.objects.filter(campaign=campaign, person__in=[p.pk for p in known]).values_list(
            "person_id", flat=True
        )
    )
    work = _Batch()
    listed_new: set[int] = set()  # id() of people created in this batch, listed already
    for row in rows:
        fingerprint = prints[row.line]
        if fingerprint in seen:
            result.inchanges += 1
            continue
        seen.add(fingerprint)
        hashed_ine, identity = ine_hashes[row.line], identities[row.line]
        person: YoungPerson | None = None
        matched_by = ""
        if hashed_ine and hashed_ine in by_ine:
            person, matched_by = by_ine[hashed_ine], MatchedBy.INE
        else:
            for candidate in by_identity.get(identity, []):
                if not hashed_ine or candidate.ine_hash in (None, hashed_ine):
                    person, matched_by = candidate, MatchedBy.IDENTITE
                    break
        if person is None:
            person = new_person(row, hashed_ine=hashed_ine, identity=identity)
            apply_assignment(person, assigner, today)
            work.created.append(person)
            if hashed_ine:
                by_ine[hashed_ine] = person
            by_identity.setdefault(identity, []).append(person)
            work.listings.append(Listing(person=person, campaign=campaign, import_run=run))
            listed_new.add(id(person))
            work.lines.append(
                ImportedLine(fingerprint=fingerprint, person=person, import_run=run, line=row.line)
            )
            result.crees += 1
            continue
        before: dict[str, Any] = {}
        for name in MERGED_FIELDS:
            new = _field_value(row, name)
            if new in ("", None) or getattr(person, name) == new:
                continue
            before[name] = _jsonable(getattr(person, name))
            setattr(person, name, new)
        if "ine" in before:
            person.ine_hash = hashed_ine
            if hashed_ine:
                by_ine[hashed_ine] = person
        is_listed = person.pk in listed if person.pk else id(person) in listed_new
        if not is_listed:
            work.listings.append(Listing(person=person, campaign=campaign, import_run=run))
            if person.pk:
                listed.add(person.pk)
            else:
                listed_new.add(id(person))
        if before:
            apply_assignment(person, assigner, today)
        if person.pk and (before or not is_listed):
            work.changed[person.pk] = person
        work.lines.append(ImportedLine(fingerprint=fingerprint, person=person, import_run=run, line=row.line))
        if before or not is_listed:
            work.merges.append(
                MergeRecord(
                    person=person,
                    import_run=run,
                    line=row.line,
                    matched_by=matched_by,
                    changed_fields=list(before),
                    campaign_added=not is_listed,
                    before=json.dumps(before, ensure_ascii=False) if before else "",
                    line_values=json.dumps(row.values(), ensure_ascii=False),
                    fingerprint=fingerprint,
                )
            )
            result.fusionnes += 1
        else:
            result.inchanges += 1
    _flush(work)


_UPDATED = ["ine", "ine_hash", *MERGED_FIELDS[1:], "zone", "partner", "priority", "updated_at"]


_MERGE_FIELDS = [
    "person",
    "import_run",
    "line",
    "matched_by",
    "changed_fields",
    "campaign_added",
    "before",
    "line_values",
    "fingerprint",
    "at",
]


def _flush(work: _Batch) -> None:
    YoungPerson.objects.bulk_create(work.created, batch_size=500)
    if work.changed:
        now = timezone.now()
        for person in work.changed.values():
            person.updated_at = now
        update_rows(list(work.changed.values()), _UPDATED)
    insert_rows(work.listings, ["person", "campaign", "import_run"])
    insert_rows(work.lines, ["fingerprint", "person", "import_run", "line"])
    insert_rows(work.merges, _MERGE_FIELDS)
