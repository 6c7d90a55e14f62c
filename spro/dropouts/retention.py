"""How long the dropout lists are kept (docs/decrochage.md, « Conservation et purge »).

A campaign is closed by `spro decrochage cloturer --campagne AAAA-MM` (`Campaign.closed_on`). A young person whose
every listing belongs to campaigns closed more than SPRO_DROPOUT_RETENTION_MONTHS ago (12 by default, the project's
choice: no public source read gives a duration, see the docs) is deleted by `spro decrochage purger`, with
everything hanging on them (listings, imported lines, merge records, and the follow-up of the chain: their foreign
keys cascade). A young person listed again in an open campaign, or in one closed more recently, is kept whole.

Days count in local time, as the pathways' retention does: a campaign closed on day D is « closed more than N
months ago » from day D + N months + 1. The import runs and campaigns stay (no personal data: file name, counts).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from spro import audit
from spro.core import conf
from spro.core.months import add_months
from spro.dropouts import counts, signals
from spro.dropouts.models import Campaign, ImportedLine, Listing, MergeRecord, YoungPerson
from spro.dropouts.reading import CAMPAIGN_CODE

logger = logging.getLogger("spro.dropouts")

RETENTION_SETTING = "SPRO_DROPOUT_RETENTION_MONTHS"
DEFAULT_RETENTION_MONTHS = 12
#: young people deleted per statement (the cascade's collector holds one batch's related rows at a time)
BATCH = 1000


class RetentionError(ValueError):
    """A campaign that cannot be closed (unknown, malformed code, already closed)."""


def retention_months() -> int:
    """Months after a campaign's closing before its young people are deleted (SPRO_DROPOUT_RETENTION_MONTHS)."""
    return conf.positive_int(RETENTION_SETTING, DEFAULT_RETENTION_MONTHS)


# --- closing -------------------------------------------------------------------------------------------------------


def close_campaign(code: str, *, user=None, today: dt.date | None = None) -> Campaign:
    """Close a campaign today (local time); its young people are purged once the retention period has passed."""
    if not CAMPAIGN_CODE.match(code or ""):
        raise RetentionError(f"campagne « {code} » : AAAA-MM attendu (ex. 2026-11)")
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(code=code).first()
        if campaign is None:
            raise RetentionError(f"campagne {code} inconnue")
        if campaign.closed_on is not None:
            raise RetentionError(f"campagne {code} déjà close le {campaign.closed_on:%d/%m/%Y}")
        campaign.closed_on = today
        campaign.save(update_fields=["closed_on"])
        signals.lists_changed.send(sender=Campaign, campaign_ids=[campaign.pk])  # its window now ends
        audit.record(user, "dropout.campaign_close", campaign, detail=f"campagne {code} close")
    return campaign


def erasure_date(campaign: Campaign) -> dt.date | None:
    """The first day a young person listed only in this campaign is purged; None while it is open."""
    if campaign.closed_on is None:
        return None
    return add_months(campaign.closed_on, retention_months()) + dt.timedelta(days=1)


# --- the purge -----------------------------------------------------------------------------------------------------


def cutoff(today: dt.date | None = None) -> dt.date:
    """A campaign closed before this day was closed more than `retention_months()` ago."""
    return add_months(today or timezone.localdate(), -retention_months())


def due_for_purge(today: dt.date | None = None) -> QuerySet[YoungPerson]:
    """Listed at least once, and every listing in a campaign closed before `cutoff(today)`."""
    limit = cutoff(today)
    kept = Listing.objects.filter(person=OuterRef("pk")).filter(
        Q(campaign__closed_on__isnull=True) | Q(campaign__closed_on__gte=limit)
    )
    return (
        YoungPerson.objects.filter(Exists(Listing.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(kept))
        .order_by("pk")
    )


@dataclass
class PurgeResult:
    months: int
    cutoff: dt.date
    jeunes: int = 0
    inscriptions: int = 0
    lignes_importees: int = 0
    fusions: int = 0
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "duree_mois": self.months,
            "campagnes_closes_avant": self.cutoff.isoformat(),
            "jeunes": self.jeunes,
            "inscriptions": self.inscriptions,
            "lignes_importees": self.lignes_importees,
            "fusions": self.fusions,
            "simulation": self.dry_run,
        }


def _secure_delete() -> None:
    """SQLite: overwrite deleted content with zeros (as the other retention commands do)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")


def purge(*, today: dt.date | None = None, dry_run: bool = False, user=None) -> PurgeResult:
    """Delete every young person due, in one transaction (all or nothing), and write one audit record with the
    counts (no name). A second run finds nobody. `dry_run` counts and writes nothing."""
    months = retention_months()
    result = PurgeResult(months=months, cutoff=cutoff(today), dry_run=dry_run)
    if not dry_run:
        _secure_delete()
    with transaction.atomic():
        due = due_for_purge(today)
        people = list(due.values_list("pk", flat=True))
        result.jeunes = len(people)
        for start in range(0, len(people), BATCH):
            chunk = people[start : start + BATCH]
            result.inscriptions += Listing.objects.filter(person__in=chunk).count()
            result.lignes_importees += ImportedLine.objects.filter(person__in=chunk).count()
            result.fusions += MergeRecord.objects.filter(person__in=chunk).count()
            if not dry_run:
                YoungPerson.objects.filter(pk__in=chunk).delete()
        if people and not dry_run:
            counts.changed()
        if not dry_run:
            audit.record(
                user,
                "dropout.purge",
                ("dropouts.YoungPerson", "*"),
                detail=(
                    f"{result.jeunes} jeune(s) effacé(s) ({result.inscriptions} inscription(s), "
                    f"{result.lignes_importees} ligne(s) importée(s), {result.fusions} fusion(s)) : campagnes "
                    f"closes depuis plus de {months} mois (avant le {result.cutoff:%d/%m/%Y})"
                ),
            )
    if not dry_run:
        logger.info("dropout young people purged: %d (retention %d months)", result.jeunes, months)
    return result
