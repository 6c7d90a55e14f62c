"""Recording and counting first contacts. Views and commands call these; the access rules come from
`spro.accounts.permissions` (only members record or list; counts for whoever has a statistics right)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet

from spro.accounts import permissions
from spro.contacts.models import FirstContact
from spro.contacts.signals import first_contacts_recorded
from spro.contacts.vocabularies import Reponse, TrancheAge
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.canaux import Canal
from spro.core.vocabularies.statuts import Statut
from spro.directory.models import Structure

RECENT_LIMIT = 50


def record(user, structure: Structure, **fields) -> FirstContact:
    """Create one entry for `structure`, recorded by `user`, who must be a member of it."""
    if not permissions.can_record_contact(user, structure):
        raise PermissionDenied("Seuls les membres de la structure enregistrent ses premiers contacts.")
    contact = FirstContact(structure=structure, recorded_by=user, **fields)
    contact.full_clean()
    with transaction.atomic():  # the rollups (spro.monitoring) are written in the same transaction
        contact.save()
        first_contacts_recorded.send(sender=FirstContact, contacts=[contact])
    return contact


def recent(user, structure: Structure, limit: int = RECENT_LIMIT) -> QuerySet[FirstContact]:
    if not permissions.can_view_structure_data(user, structure):
        raise PermissionDenied("Seuls les membres de la structure voient ses premiers contacts.")
    return (
        FirstContact.objects.filter(structure=structure)
        .select_related("commune", "departement", "referred_to_structure")
        .order_by("-date", "-id")[:limit]
    )


@dataclass
class Counts:
    """Aggregated counts, each as `[(code, label, count)]` in the vocabulary's order; no row-level data."""

    total: int = 0
    besoins: list[tuple[str, str, int]] = field(default_factory=list)
    channels: list[tuple[str, str, int]] = field(default_factory=list)
    age_bands: list[tuple[str, str, int]] = field(default_factory=list)
    statuts: list[tuple[str, str, int]] = field(default_factory=list)
    answers: list[tuple[str, str, int]] = field(default_factory=list)
    structures: int = 0


def _ordered(choices, counter: Counter) -> list[tuple[str, str, int]]:
    return [(value, label, counter.get(value, 0)) for value, label in choices]


def aggregate(
    structures: QuerySet[Structure], start: dt.date | None = None, end: dt.date | None = None
) -> Counts:
    """Counts per besoin, channel, age band, statut and answer, over `structures` and the period (inclusive)."""
    rows = FirstContact.objects.filter(structure__in=structures)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)

    def by(column: str) -> Counter:
        return Counter(
            {item[column]: item["n"] for item in rows.order_by().values(column).annotate(n=Count("id"))}
        )

    besoins: Counter = Counter()
    for codes in rows.values_list("besoins", flat=True).iterator(chunk_size=5000):
        besoins.update(set(codes or []))
    return Counts(
        total=rows.count(),
        besoins=_ordered(Besoin.choices, besoins),
        channels=_ordered(Canal.choices, by("channel")),
        age_bands=_ordered(TrancheAge.choices, by("age_band")),
        statuts=_ordered(Statut.choices, by("statut")),
        answers=_ordered(Reponse.choices, by("answer_given")),
        structures=rows.order_by().values("structure").distinct().count(),
    )


def statistics_for(user, start: dt.date | None = None, end: dt.date | None = None) -> Counts:
    """The counts the user may see: over `permissions.statistics_structures(user)`."""
    if not (permissions.has_territorial_role(user) or permissions.structures_in_scope(user).exists()):
        raise PermissionDenied("Aucun périmètre de statistiques pour ce compte.")
    return aggregate(permissions.statistics_structures(user), start, end)
