"""« decrochage-issues »: the dropout campaigns' outcomes, per campaign (its month), territory and PSAD structure.

What counts is `spro.dropouts.indicators`' one definition (`facts` and `columns_of`: listed, reached, unreachable,
not contacted, contacted, situation and solution by type, in a solution at 3 and 6 months), read here per young
person and added up, so the rollups never hold a row about a person: a cell is a count of at least one young
person, its key a month, a territory code, a structure id and a code of the vocabularies.

- Month: the campaign's (its code, AAAA-MM); a young person listed in two campaigns counts in each.
- Territory: the young person's commune (and its EPCI, département, bassin, région); « non renseigné » when the
  commune is not in the referential.
- Structure: the PSAD structure of the young person's zone (a structure reads its own figures); none without zone.
- The minors of 16 and 17 (obligation of training) are those aged 16 or 17 on the campaign's opening day (a fixed
  day, so a figure does not change with the day it is read).

Why the upkeep is per young person and per campaign rather than per event: a young person's figures are not a sum
of events (the latest situation, the first solution, reached by an attempt or by a situation, the campaign's window
ending when it closes), so an event cannot be turned into a +1 on its own. The chain (`spro.dropouts.chain`)
announces a write on a young person before and after it (`work_changing`, `work_changed`): their figures are
retracted, then added again from the sources, in the write's transaction. Writes on many young people at once (an
import, zones loaded, a merge undone, a campaign closed: `lists_changed`) recompute the campaigns concerned in
their transaction (a few queries per range of `indicators.CHUNK` young people, read one range at a time: no row
per young person kept, so the memory does not grow with the campaign's size).

The purge: a campaign closed for longer than the retention period (`spro.dropouts.retention.cutoff`) is archived:
its rollups are no longer touched, neither by the chain nor by a rebuild, so erasing its young people (the purge
only erases young people all of whose campaigns are archived) leaves its figures as they were, with nothing
nominative. A rebuild recomputes every campaign still kept, and computes an archived campaign only if it has no
rollup yet (from what is left of it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable

from django.db.models import Q

from spro.dropouts import indicators
from spro.dropouts.models import Campaign, Listing
from spro.dropouts.retention import cutoff
from spro.dropouts.vocabularies import Situation, SolutionType
from spro.monitoring import rollups
from spro.monitoring.models import Rollup
from spro.monitoring.sources import delta

INDICATOR = "decrochage-issues"
MINOR = "16-17-ans"
ADULT = "autre-age"

#: Breakdowns (rollup dimensions) → labels of their values.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "contact": {code: label for code, label in indicators.CONTACT_COLUMNS if code != "listes"},
    "suivi": dict(indicators.FOLLOW_COLUMNS),
    "situation": dict(Situation.choices),
    "solution": dict(SolutionType.choices),
    "obligation_formation": {MINOR: "16 et 17 ans le jour de l’ouverture", ADULT: "Autres âges"},
}
DIMENSIONS = tuple(VALUE_LABELS)


def campaign_month(campaign: Campaign) -> dt.date:
    return dt.date(int(campaign.code[:4]), int(campaign.code[5:7]), 1)


def kept(today: dt.date | None = None) -> Q:
    """The campaigns whose rollups follow their sources: open, or closed within the retention period."""
    return Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff(today))


def _values(person) -> list[tuple[str, str]]:
    values = [("", ""), ("obligation_formation", MINOR if person.minor else ADULT)]
    for column in indicators.columns_of(person):
        if column in VALUE_LABELS["contact"]:
            values.append(("contact", column))
        elif column in VALUE_LABELS["suivi"]:
            values.append(("suivi", column))
        elif column.startswith("sol:"):
            values.append(("solution", column[4:]))
        elif column in VALUE_LABELS["situation"]:
            values.append(("situation", column))
    return values


def campaign_cells(
    campaign: Campaign, person_ids: Collection[int] | None = None, *, chunk: int | None = None
) -> Counter[rollups.Key]:
    """The cells of the campaign's young people (of `person_ids` only when given; else the whole campaign read by
    ranges of `chunk` young people, `indicators.CHUNK` by default, so that the memory does not grow with it)."""
    on = campaign.opened_on
    if person_ids is not None:
        chunks: Iterable[dict] = [indicators.facts(campaign, None, on, person_ids)]
    else:
        chunks = indicators.chunked_facts(campaign, None, on, chunk)
    # Young people alike (same commune, structure and values) are counted together first: far fewer groups than
    # young people, so a campaign of 200,000 costs little more than reading its facts, and only the groups are
    # kept from one range of young people to the next.
    groups: Counter[tuple] = Counter()
    for people in chunks:
        groups.update((p.commune, p.structure, tuple(_values(p))) for p in people.values())
    by_commune, _ = rollups.places((commune for commune, _, _ in groups), [])
    month = campaign_month(campaign)
    cells: Counter[rollups.Key] = Counter()
    for (commune, psad, values), n in groups.items():
        place = by_commune.get(commune) or rollups.Place()
        for structure in [rollups.ALL_STRUCTURES] + ([psad] if psad else []):
            for level, territory in place.levels():
                if structure != rollups.ALL_STRUCTURES and level not in rollups.STRUCTURE_LEVELS:
                    continue
                for dimension, value in values:
                    cells[(INDICATOR, structure, level, dimension, month, territory, value)] += n
    return cells


def _people_cells(person_ids: list[int]) -> Counter[rollups.Key]:
    cells: Counter[rollups.Key] = Counter()
    # Locked: a campaign's figures are retracted and added back by one transaction at a time (and not while a bulk
    # recomputation rewrites them).
    listed = Listing.objects.filter(person_id__in=person_ids).values("campaign_id")
    campaigns = Campaign.objects.select_for_update().filter(kept(), pk__in=listed).order_by("pk")
    for campaign in campaigns:
        cells.update(campaign_cells(campaign, person_ids))
    return cells


def on_work_changing(sender, person_ids: list[int], **_kwargs) -> None:
    """`spro.dropouts.signals.work_changing`: retract these young people's figures (before the write)."""
    delta.apply(delta.negate(_people_cells(person_ids)))


def on_work_changed(sender, person_ids: list[int], **_kwargs) -> None:
    """`spro.dropouts.signals.work_changed`: add their figures again, as the write left them."""
    delta.apply(_people_cells(person_ids))


def recompute(campaigns: Collection[Campaign]) -> None:
    locked = Campaign.objects.select_for_update().filter(pk__in=[c.pk for c in campaigns]).order_by("pk")
    for campaign in locked:
        Rollup.objects.filter(indicator=INDICATOR, month=campaign_month(campaign)).delete()
        rollups.add(campaign_cells(campaign))


def on_lists_changed(sender, campaign_ids: list[int] | None, **_kwargs) -> None:
    """`spro.dropouts.signals.lists_changed`: recompute the campaigns concerned that are still kept."""
    campaigns = Campaign.objects.filter(kept())
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=campaign_ids)
    recompute(list(campaigns))


def rebuild() -> None:
    """Every kept campaign from its sources; an archived one only when it has no rollup yet."""
    months = set(Rollup.objects.filter(indicator=INDICATOR).values_list("month", flat=True).distinct())
    still_kept = set(Campaign.objects.filter(kept()).values_list("pk", flat=True))
    recompute(
        [
            campaign
            for campaign in Campaign.objects.order_by("code")
            if campaign.pk in still_kept or campaign_month(campaign) not in months
        ]
    )
