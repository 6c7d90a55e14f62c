"""Who may see which accompaniment and read which notes, and the audit of every read (docs/accompagnement.md).

Built on `spro.accounts.permissions`: only the members (conseiller, admin_structure) of the accompanying structure
see an accompaniment, its person, its notes and its schemes. Territorial roles (tête de réseau, pilotes Région and
État) never see a row: they get counts (spro/accompaniment/stats.py). The platform admin sees nothing here unless
also a member of the structure. The receiving structure of a hand-over reads the previous structure's notes only
if the person agreed (`previous_notes_shared`), link after link back along the hand-overs.
"""

from __future__ import annotations

from django.db.models import QuerySet

from spro import audit
from spro.accompaniment.models import Accompaniment, Note
from spro.accounts.permissions import can_act_for_structure, structures_in_scope


def visible_accompaniments(user) -> QuerySet[Accompaniment]:
    """The accompaniments of the structures the user acts for (is a member of)."""
    return Accompaniment.objects.filter(structure__in=structures_in_scope(user))


def can_view(user, accompaniment: Accompaniment) -> bool:
    """The accompaniment's page: its person, pathway summary, appointments, schemes, outcome."""
    return can_act_for_structure(user, accompaniment.structure)


def can_handle(user, accompaniment: Accompaniment) -> bool:
    """Write notes, mobilise schemes, propose appointments, close, hand over: same rule as seeing it."""
    return can_view(user, accompaniment)


def can_read_notes(user, accompaniment: Accompaniment) -> bool:
    """The accompaniment's own notes: the members of the accompanying structure only."""
    return can_view(user, accompaniment)


def notes_chain(accompaniment: Accompaniment) -> list[Accompaniment]:
    """The accompaniments whose notes the accompanying structure reads: this one, then each one handed over to it
    as long as the person agreed to share the previous notes at that hand-over."""
    chain = [accompaniment]
    current = accompaniment
    seen = {accompaniment.pk}
    while (
        current.previous_notes_shared
        and current.handed_over_from_id
        and current.handed_over_from_id not in seen
    ):
        previous = Accompaniment.objects.select_related("structure").get(pk=current.handed_over_from_id)
        chain.append(previous)
        seen.add(previous.pk)
        current = previous
    return chain


def readable_notes(user, accompaniment: Accompaniment) -> QuerySet[Note]:
    """The notes `user` may read from `accompaniment`'s page (none when not a member of its structure)."""
    if not can_read_notes(user, accompaniment):
        return Note.objects.none()
    chain = [a.pk for a in notes_chain(accompaniment)]
    return (
        Note.objects.filter(accompaniment_id__in=chain)
        .select_related("author", "accompaniment__structure")
        .order_by("at", "id")
    )


def can_read_note(user, note: Note) -> bool:
    """One note: a member of its structure, or of a structure it was handed over to with the notes shared."""
    if can_read_notes(user, note.accompaniment):
        return True
    for later in Accompaniment.objects.filter(structure__in=structures_in_scope(user)).filter(
        pk__in=_later_ids(note.accompaniment)
    ):
        if note.accompaniment_id in {a.pk for a in notes_chain(later)}:
            return True
    return False


def _later_ids(accompaniment: Accompaniment) -> list[int]:
    ids: list[int] = []
    frontier = [accompaniment.pk]
    while frontier:
        frontier = list(
            Accompaniment.objects.filter(handed_over_from_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


def record_read(user, accompaniment: Accompaniment, what: str) -> None:
    """One display of an accompaniment's page (its person, notes and pathway summary) = one line in the audit log."""
    audit.record(user, "accompaniment.view", accompaniment, detail=what)


def record_person_export(accompaniment_or_pathway, what: str) -> None:
    """The person's own export (no user): logged too."""
    audit.record(None, "accompaniment.export", accompaniment_or_pathway, detail=what)
