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

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from spro.core import crypto
from spro.core.normaliser import fold
from spro.dropouts import counts, signals
from spro.dropouts.models import (
    Campaign,
    ImportedLine,
    ImportRun,
    Listing,
    MatchedBy,
    MergeRecord,
    YoungPerson,
)
from spro.dropouts.reading import (
    CAMPAIGN_CODE,
    ImportRejected,
    LineError,
    Row,
    file_sha256,
    read_rows,
    validate_file,
)
from spro.dropouts.rows import insert_rows, insert_values, refresh_statistics, update_rows
from spro.dropouts.vocabularies import COMPUTED_PRIORITIES, Priority
from spro.dropouts.zones import Assigner, age_on

BATCH = 1000
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
#: The merged fields stored encrypted: compared through `field_hashes`, decrypted only when they differ.
HASHED_FIELDS = ("ine", "telephone", "courriel", "responsable_legal")


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


#: Each keyed hash below takes the hashing function: `crypto.keyed_hash`, or within a batch one
#: `crypto.keyed_hasher()` (same results, the key set up once).
Hasher = Callable[[str], str]


def identity_hash(nom: str, prenom: str, birth_date: date, hasher: Hasher = crypto.keyed_hash) -> str:
    return hasher(f"identite|{name_key(nom)}|{name_key(prenom)}|{birth_date.isoformat()}")


def ine_hash(ine: str, hasher: Hasher = crypto.keyed_hash) -> str | None:
    return hasher(f"ine|{ine}") if ine else None


def field_hash(name: str, value: str, hasher: Hasher = crypto.keyed_hash) -> str:
    """The keyed hash of one encrypted field's value (`YoungPerson.field_hashes`)."""
    return hasher(f"champ|{name}|{value}")


def field_hashes(values: Any, hasher: Hasher = crypto.keyed_hash) -> dict[str, str]:
    """The hashes of an object's (a person, a `Row`) encrypted merged fields that are not empty: an empty value
    needs none (its stored form is empty too, read without decrypting)."""
    out = {}
    for name in HASHED_FIELDS:
        value = getattr(values, name)
        if value:
            out[name] = field_hash(name, value, hasher)
    return out


def line_fingerprint(row: Row, campaign: str, hasher: Hasher = crypto.keyed_hash) -> str:
    values = row.values()
    return hasher("ligne|" + campaign + "|" + json.dumps(values, sort_keys=True, ensure_ascii=False))


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


def new_person(
    row: Row, *, hashed_ine: str | None = None, identity: str = "", hasher: Hasher = crypto.keyed_hash
) -> YoungPerson:
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
        field_hashes=field_hashes(row, hasher),
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class _Batch:
    """One batch's writes, flushed together."""

    def __init__(self) -> None:
        self.created: list[YoungPerson] = []
        self.changed: dict[int, YoungPerson] = {}
        self.changed_fields: dict[int, set[str]] = {}
        # link rows and merge records as field values (no model instance each): the person object is resolved
        # to its key at the flush, once the new young people have theirs
        self.listings: list[YoungPerson] = []
        self.lines: list[tuple[YoungPerson, str, int]] = []
        self.merges: list[dict[str, Any]] = []


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
    refresh_statistics([YoungPerson, ImportedLine, Listing])
    with transaction.atomic():
        campaign = campaign_for(campaign_code)
        run = ImportRun.objects.create(
            campaign=campaign, file_name=path.name[:300], sha256=file_sha256(path), by=user
        )
        assigner = Assigner()
        batch: list[Row] = []
        lines = 0
        for row in read_rows(path, mapping, today):
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
        # Merged young people may have moved (commune, zone) in their other campaigns too: all are recomputed.
        signals.lists_changed.send(sender=Campaign, campaign_ids=None)
        if result.crees or result.fusionnes:
            counts.changed()  # the rows were written in bulk, without the model's signals
    return result


def _import_batch(
    rows: list[Row], campaign: Campaign, run: ImportRun, assigner: Assigner, today: date, result: ImportResult
) -> None:
    hasher = crypto.keyed_hasher()
    prints = {row.line: line_fingerprint(row, campaign.code, hasher) for row in rows}
    seen = set(
        ImportedLine.objects.filter(fingerprint__in=prints.values()).values_list("fingerprint", flat=True)
    )
    todo = [row for row in rows if prints[row.line] not in seen]
    ine_hashes = {row.line: ine_hash(row.ine, hasher) for row in todo}
    identities = {row.line: identity_hash(row.nom, row.prenom, row.birth_date, hasher) for row in todo}
    # names are matched by their hash and never merged, the merged encrypted fields compared by their hashes:
    # none is decrypted here; their stored tokens come along (`<name>_token`) for the fields that differ
    known = list(
        YoungPerson.objects.filter(
            Q(ine_hash__in=[h for h in ine_hashes.values() if h]) | Q(identity_hash__in=identities.values())
        )
        .defer("nom", "prenom", *HASHED_FIELDS)
        .annotate(**{f"{name}_token": Cast(F(name), output_field=TextField()) for name in HASHED_FIELDS})
        .order_by("pk")
    )
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
            person = new_person(row, hashed_ine=hashed_ine, identity=identity, hasher=hasher)
            apply_assignment(person, assigner, today)
            work.created.append(person)
            if hashed_ine:
                by_ine[hashed_ine] = person
            by_identity.setdefault(identity, []).append(person)
            work.listings.append(person)
            listed_new.add(id(person))
            work.lines.append((person, fingerprint, row.line))
            result.crees += 1
            continue
        before = _merge_into(person, row, hasher)
        if "ine" in before:
            person.ine_hash = hashed_ine
            if hashed_ine:
                by_ine[hashed_ine] = person
        is_listed = person.pk in listed if person.pk else id(person) in listed_new
        if not is_listed:
            work.listings.append(person)
            if person.pk:
                listed.add(person.pk)
            else:
                listed_new.add(id(person))
        if before:
            apply_assignment(person, assigner, today)
        if person.pk and before:  # a merge that only adds the campaign leaves the person's row as it is
            work.changed[person.pk] = person
            work.changed_fields.setdefault(person.pk, set()).update(before)
        work.lines.append((person, fingerprint, row.line))
        if before or not is_listed:
            work.merges.append(
                {
                    "person": person,
                    "line": row.line,
                    "matched_by": matched_by,
                    "changed_fields": list(before),
                    "campaign_added": not is_listed,
                    "before": json.dumps(before, ensure_ascii=False) if before else "",
                    "line_values": json.dumps(row.values(), ensure_ascii=False),
                    "fingerprint": fingerprint,
                }
            )
            result.fusionnes += 1
        else:
            result.inchanges += 1
    _flush(work, campaign, run)


def _merge_into(person: YoungPerson, row: Row, hasher: Hasher) -> dict[str, Any]:
    """Sets on `person` the line's values that are not empty and differ; returns the values they replace.

    A person loaded by `_import_batch` has its encrypted fields deferred, with their tokens beside them: a field
    whose stored hash equals the line value's is equal and stays encrypted; any other is decrypted and compared
    (a missing or stale hash costs time, never a wrong merge). A person created earlier in the same import has
    its fields in clear."""
    before: dict[str, Any] = {}
    hashes: dict[str, str] = person.field_hashes
    loaded = person.__dict__
    for name in MERGED_FIELDS:
        new = _field_value(row, name)
        if new in ("", None):
            continue
        if name in HASHED_FIELDS and name not in loaded:
            hashed = field_hash(name, new, hasher)
            if hashes.get(name) == hashed:
                continue
            current = crypto.decrypt(loaded[f"{name}_token"] or "")
            loaded[name] = current  # known now: written back only if it changes
            if current == new:
                hashes[name] = hashed  # refreshed in the row only if the row is written anyway
                continue
        elif getattr(person, name) == new:
            continue
        before[name] = _jsonable(getattr(person, name))
        setattr(person, name, new)
        if name in HASHED_FIELDS:
            hashes[name] = field_hash(name, new, hasher)
    return before


#: Always written for a changed young person (the assignment follows the merged fields).
_ASSIGNED = ["zone", "partner", "priority", "updated_at"]


def _flush(work: _Batch, campaign: Campaign, run: ImportRun) -> None:
    insert_rows(work.created, returning=True)
    if work.changed:
        now = timezone.now()
        for person in work.changed.values():
            person.updated_at = now
        # only the columns that changed, grouped by their set: each encrypted column written is encrypted again
        groups: dict[tuple[str, ...], list[YoungPerson]] = {}
        for pk, person in work.changed.items():
            names = work.changed_fields[pk]
            columns = [name for name in MERGED_FIELDS if name in names]
            if "ine" in names:
                columns.append("ine_hash")
            if names.intersection(HASHED_FIELDS):
                columns.append("field_hashes")
            groups.setdefault(tuple(columns), []).append(person)
        for changed, people in groups.items():
            update_rows(people, [*changed, *_ASSIGNED])
    insert_values(
        Listing,
        [{"person_id": p.pk, "campaign_id": campaign.pk, "import_run_id": run.pk} for p in work.listings],
    )
    insert_values(
        ImportedLine,
        [
            {"person_id": p.pk, "fingerprint": fingerprint, "import_run_id": run.pk, "line": line}
            for p, fingerprint, line in work.lines
        ],
    )
    for merge in work.merges:
        merge["person_id"] = merge.pop("person").pk
        merge["import_run_id"] = run.pk
    insert_values(MergeRecord, work.merges)
