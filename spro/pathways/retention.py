"""How long a pathway is kept (docs/parcours.md, « Durée de conservation »).

A pathway the person neither opened (through the private link) nor changed for SPRO_PATHWAY_RETENTION_MONTHS
(24 by default) is deleted by `spro parcours purger`, through `services.delete_pathway` (so the cascade and the
accompaniment app's own rule on deletion hold), unless an accompaniment still holds it: one not yet anonymised
(open, or closed within the accompaniment's own retention period). The last activity is the latest of
`last_opened_at` (the page, written at most once a day by `record_opening`), `updated_at` and the log's last change
(a step, an action, a share, a proposal…).

Days count in local time: a pathway last used on day D is due from day D + N months + 1, and the page tells the
person that date. `spro.accompaniment` is a higher layer: it is reached through the reverse relation's name only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from spro import audit
from spro.core import conf
from spro.core.months import add_months
from spro.pathways import services
from spro.pathways.models import Pathway, PathwayChange

logger = logging.getLogger("spro.pathways")

RETENTION_SETTING = "SPRO_PATHWAY_RETENTION_MONTHS"
DEFAULT_RETENTION_MONTHS = 24
#: The reverse relation `spro.accompaniment` declares on `Pathway` (`Accompaniment.pathway`, related_name).
#: Looked up by name: if it is renamed, the purge fails loudly instead of deleting pathways an accompaniment holds.
ACCOMPANIMENTS_RELATION = "accompaniments"


def retention_months() -> int:
    """Months without a visit or a change before a pathway is deleted (SPRO_PATHWAY_RETENTION_MONTHS)."""
    return conf.positive_int(RETENTION_SETTING, DEFAULT_RETENTION_MONTHS)


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight, local time, of `day` (aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the person's visits ------------------------------------------------------------------------------------------


def record_opening(pathway: Pathway, now: dt.datetime | None = None) -> bool:
    """The person opened their page: write `last_opened_at` unless already written today (local time).

    No query at all when the loaded row says today; otherwise one conditional UPDATE (two views at once write once).
    `updated_at` is left alone: a visit is not a change. Returns whether this call wrote."""
    now = now or timezone.now()
    today = _start_of(timezone.localdate(now))
    if pathway.last_opened_at is not None and pathway.last_opened_at >= today:
        return False
    written = (
        Pathway.objects.filter(pk=pathway.pk)
        .filter(Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=today))
        .update(last_opened_at=now)
    )
    pathway.last_opened_at = now
    return bool(written)


# --- the purge ----------------------------------------------------------------------------------------------------


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """A pathway whose last activity is before this instant is due: local midnight, `retention_months()` ago."""
    today = timezone.localdate(now or timezone.now())
    return _start_of(add_months(today, -retention_months()))


def _held_by_accompaniment() -> Exists:
    """An accompaniment not yet anonymised points to the pathway (open ones are never anonymised)."""
    relation = Pathway._meta.get_field(ACCOMPANIMENTS_RELATION)
    model = relation.related_model
    if model is None or not isinstance(model, type) or relation.remote_field is None:
        raise ImproperlyConfigured(
            f"Pathway.{ACCOMPANIMENTS_RELATION}: expected the accompaniments' relation"
        )
    field_name = relation.remote_field.name
    return Exists(
        model._default_manager.filter(**{field_name: OuterRef("pk"), "anonymised_at__isnull": True})
    )


def due_for_purge(now: dt.datetime | None = None) -> QuerySet[Pathway]:
    """Neither opened nor changed since `cutoff(now)`, and held by no accompaniment."""
    limit = cutoff(now)
    recent_change = PathwayChange.objects.filter(pathway=OuterRef("pk"), at__gte=limit)
    return (
        Pathway.objects.filter(updated_at__lt=limit)
        .filter(Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=limit))
        .exclude(Exists(recent_change))
        .exclude(_held_by_accompaniment())
        .order_by("id")
    )


def _secure_delete() -> None:
    """SQLite: overwrite deleted content with zeros (as the referrals' and accompaniments' retention do)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")


def purge_due(now: dt.datetime | None = None) -> int:
    """Delete every pathway due, one transaction each (re-checked under a row lock: a visit during the run keeps
    it); log the run and write one audit record. A second run finds none and returns 0."""
    months = retention_months()
    _secure_delete()
    count = 0
    for pk in list(due_for_purge(now).values_list("pk", flat=True)):
        with transaction.atomic():
            pathway = due_for_purge(now).select_for_update().filter(pk=pk).first()
            if pathway is None:
                continue
            services.delete_pathway(pathway)
        count += 1
    logger.info("pathways purged: %d (retention %d months)", count, months)
    audit.record(
        None,
        "pathway.purge",
        ("pathways.Pathway", "*"),
        detail=f"{count} parcours effacé(s) : sans visite ni modification depuis {months} mois",
    )
    return count


# --- what the page tells the person -------------------------------------------------------------------------------


def last_activity(pathway: Pathway) -> dt.datetime:
    """The latest of the last visit, the last change of the row and the log's last change."""
    moments = [pathway.updated_at, pathway.last_opened_at]
    moments.append(PathwayChange.objects.filter(pathway=pathway).aggregate(m=Max("at"))["m"])
    return max(m for m in moments if m is not None)


def erasure_date(pathway: Pathway) -> dt.date | None:
    """The day the purge deletes the pathway if nobody opens or changes it meanwhile; None while an accompaniment
    holds it (it is kept as long as that accompaniment is; afterwards the period counts from the last activity)."""
    if Pathway.objects.filter(pk=pathway.pk).filter(_held_by_accompaniment()).exists():
        return None
    day = timezone.localdate(last_activity(pathway))
    return add_months(day, retention_months()) + dt.timedelta(days=1)
