"""Anonymous statistics of the first personalised answers: record one coarse row per answer, count them.

`record()` is called by the page and the API (never by `spro analyse` nor the bench). `summary()` counts by need,
typology, age band and statut over a period and, for a territorial pilot, over the départements of their scope
(`departements_for()`, built on `spro.accounts.permissions`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from spro.answer import signals
from spro.answer.models import AnswerStat, Channel
from spro.answer.types import Answer
from spro.contacts.vocabularies import TrancheAge
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import Statut

TOP = 3


def age_band(age: int | None) -> str:
    """The first-contact log's age bands, so that both statistics add up."""
    if age is None:
        return TrancheAge.NON_RENSEIGNE
    if age < 16:
        return TrancheAge.MOINS_16
    if age < 18:
        return TrancheAge.A_16_17
    if age <= 25:
        return TrancheAge.A_18_25
    if age <= 44:
        return TrancheAge.A_26_44
    if age <= 54:
        return TrancheAge.A_45_54
    return TrancheAge.PLUS_55


def record(answer: Answer, channel: str) -> AnswerStat:
    """One row for an answer given on the page (`"page"`) or through the API (`"api"`): categories only."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    profile = answer.analysis.profile
    departement_id = None
    if profile.commune:
        from spro.referentials.geo.models import Commune

        departement_id = (
            Commune.objects.filter(code_insee=profile.commune)
            .values_list("departement_id", flat=True)
            .first()
        )
    statut = profile.statut if profile.statut in Statut.values else Statut.NON_RENSEIGNE
    besoins = [b.code for b in answer.analysis.besoins if b.code in Besoin.values][:TOP]
    typologies: list[str] = []
    for orientation in answer.orientations:
        if orientation.typologie not in typologies:
            typologies.append(orientation.typologie[:30])
    with transaction.atomic():  # the row and the rollups that count it (spro.monitoring) together
        stat = AnswerStat.objects.create(
            channel=channel,
            age_band=age_band(profile.age),
            statut=statut,
            departement_id=departement_id,
            besoins=besoins,
            typologies=typologies[:TOP],
        )
        signals.answer_recorded.send(AnswerStat, stat=stat)
    return stat


def departements_for(user) -> list[str] | None:
    """The départements whose answers `user` may count: None for the whole country (platform admin, national State
    pilot), a list for territorial roles (a région's départements, or one département), [] for no right."""
    from spro.accounts import permissions
    from spro.accounts.models import TerritorialRole
    from spro.referentials.geo.models import Departement

    if not permissions.has_territorial_role(user):
        return []
    if permissions.is_platform_admin(user) or permissions.can_view_statistics(user, None):
        return None
    codes: set[str] = set()
    # Counting roles only: a social partner or CREFOP member of another région counts nothing there.
    for scope in permissions.counting_scopes(user).exclude(role=TerritorialRole.TETE_DE_RESEAU):
        if scope.departement_id:
            codes.add(scope.departement_id)
        elif scope.region_id:
            codes.update(Departement.objects.filter(region_id=scope.region_id).values_list("code", flat=True))
    return sorted(codes)


def _rows(start: dt.date | None, end: dt.date | None, departements: list[str] | None) -> QuerySet[AnswerStat]:
    rows = AnswerStat.objects.all()
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    if departements is not None:
        rows = rows.filter(Q(departement_id__in=departements))
    return rows


def summary(
    start: dt.date | None = None, end: dt.date | None = None, departements: list[str] | None = None
) -> dict[str, Any]:
    """Counts over the period (inclusive) and the départements (None = all, answers without a commune included;
    a list = only answers located there). Each table is `[(code, label, count)]`, in the vocabulary's order for
    besoins, age bands and statuts, most frequent first for typologies."""
    from spro.directory import vocabularies as directory_vocabularies

    rows = _rows(start, end, departements)
    besoins: Counter = Counter()
    typologies: Counter = Counter()
    for codes, types in rows.values_list("besoins", "typologies").iterator(chunk_size=5000):
        besoins.update(set(codes or []))
        typologies.update(set(types or []))

    def by(column: str) -> Counter:
        return Counter(
            {item[column]: item["n"] for item in rows.order_by().values(column).annotate(n=Count("id"))}
        )

    typology_labels = directory_vocabularies.typologies()
    ages, statuts, channels = by("age_band"), by("statut"), by("channel")
    return {
        "total": rows.count(),
        "besoins": [(code, label, besoins.get(code, 0)) for code, label in Besoin.choices],
        "typologies": [(code, typology_labels.get(code, code), n) for code, n in typologies.most_common()],
        "tranches_age": [(code, label, ages.get(code, 0)) for code, label in TrancheAge.choices],
        "statuts": [(code, label, statuts.get(code, 0)) for code, label in Statut.choices],
        "canaux": [(code, label, channels.get(code, 0)) for code, label in Channel.choices],
    }
