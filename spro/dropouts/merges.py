"""Undoing a merge (`spro decrochage defusionner <id>`) and encrypting again with the first key (`rechiffrer`, which
also recomputes the young people's `field_hashes` under the current HMAC key)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from spro import audit
from spro.dropouts import signals
from spro.dropouts.importing import apply_assignment, field_hashes, ine_hash, new_person
from spro.dropouts.models import ImportedLine, Listing, MatchedBy, MergeRecord, YoungPerson
from spro.dropouts.reading import Row
from spro.dropouts.rows import update_rows
from spro.dropouts.zones import Assigner


class UnmergeError(ValueError):
    """The merge cannot be undone (unknown, or undone already)."""


@dataclass
class Unmerged:
    person: YoungPerson
    split: YoungPerson
    restored: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _row_from(values: dict[str, str], line: int) -> Row:
    return Row(
        line=line,
        nom=values["nom"],
        prenom=values["prenom"],
        birth_date=date.fromisoformat(values["birth_date"]),
        commune=values["commune"],
        left_on=date.fromisoformat(values["left_on"]),
        school_status=values["school_status"],
        ine=values.get("ine", ""),
        telephone=values.get("telephone", ""),
        courriel=values.get("courriel", ""),
        responsable_legal=values.get("responsable_legal", ""),
        uai=values.get("uai", ""),
        formation=values.get("formation", ""),
    )


@transaction.atomic
def unmerge(record_id: int, *, user=None, today: date | None = None) -> Unmerged:
    """The person gets back the values the merge changed (those not changed again since), loses the campaign the
    merge added, and the line becomes a young person of its own (assigned, listed in the campaign)."""
    today = today or timezone.localdate()
    record = (
        MergeRecord.objects.select_for_update()
        .select_related("import_run__campaign")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise UnmergeError(f"fusion n° {record_id} inconnue")
    if record.undone_at is not None:
        raise UnmergeError(f"fusion n° {record_id} déjà défusionnée le {record.undone_at:%d/%m/%Y}")
    person = YoungPerson.objects.select_for_update().get(pk=record.person_id)
    before = json.loads(record.before) if record.before else {}
    row = _row_from(json.loads(record.line_values), record.line)
    result_restored, result_kept = [], []
    for name, old in before.items():
        current = getattr(person, name)
        merged_value = getattr(row, name)
        if isinstance(current, date):
            current = current.isoformat()
        if current != merged_value:
            result_kept.append(name)  # changed again since the merge: the later value stays
            continue
        if name == "left_on":
            old = date.fromisoformat(old)
        setattr(person, name, old)
        if name == "ine":
            person.ine_hash = ine_hash(old)
        result_restored.append(name)
    person.field_hashes = field_hashes(person)
    assigner = Assigner()
    apply_assignment(person, assigner, today)
    person.save()
    campaign = record.import_run.campaign
    if record.campaign_added:
        Listing.objects.filter(person=person, campaign=campaign).delete()
    split = new_person(row)
    if record.matched_by == MatchedBy.INE or (
        split.ine_hash and YoungPerson.objects.filter(ine_hash=split.ine_hash).exists()
    ):
        split.ine_hash = None  # the INE stays with the person it was matched to; kept encrypted on the line's
    apply_assignment(split, assigner, today)
    split.save()
    Listing.objects.create(person=split, campaign=campaign, import_run=record.import_run)
    ImportedLine.objects.filter(fingerprint=record.fingerprint).update(person=split)
    record.undone_at = timezone.now()
    record.split_person = split
    record.save(update_fields=["undone_at", "split_person"])
    audit.record(user, "dropout.unmerge", person, detail=f"fusion {record.pk} → jeune {split.pk}")
    signals.lists_changed.send(
        sender=YoungPerson, campaign_ids=None
    )  # the person may have moved elsewhere too
    return Unmerged(person, split, result_restored, result_kept)


ENCRYPTED = {
    YoungPerson: ["ine", "nom", "prenom", "telephone", "courriel", "responsable_legal"],
    MergeRecord: ["before", "line_values"],
}


def reencrypt(batch: int = 500) -> dict[str, int]:
    """Every encrypted value read (with any configured key) and written again with the first key, and each young
    person's `field_hashes` computed again (filled for rows older than that column, renewed after a change of
    HMAC key), by batches of primary keys (memory flat; each batch its own transaction, and running it again is
    harmless)."""
    counts: dict[str, int] = {}
    for model, fields in ENCRYPTED.items():
        done, last = 0, 0
        while True:
            with transaction.atomic():
                objects = list(model.objects.filter(pk__gt=last).order_by("pk")[:batch])  # type: ignore[attr-defined]
                if not objects:
                    break
                if model is YoungPerson:
                    for person in objects:
                        person.field_hashes = field_hashes(person)
                    update_rows(objects, [*fields, "field_hashes"])
                else:
                    update_rows(objects, fields)
            done += len(objects)
            last = objects[-1].pk
        counts[model._meta.model_name or model.__name__] = done
    return counts
