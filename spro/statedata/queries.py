"""Reading the State figures: the list page's filters and `state_figures`, the function the monitoring pages call
to show them beside the Region's indicators (docs/donnees-etat.md « Lecture »).

Small counts are NOT hidden: these are activity counts of public services over a territory and a period
(« 3 entretiens au CIO de X en mars »), published by those services, not figures about identified persons.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from spro.core.vocabularies.territoires import TerritoryLevel
from spro.statedata.models import StateFigure
from spro.statedata.reading import PERIOD
from spro.statedata.vocabularies import Indicator, Service


@dataclass(frozen=True)
class Filters:
    service: str = ""
    period: str = ""
    territory_level: str = ""
    territory_code: str = ""
    indicator: str = ""


def figures(filters: Filters) -> QuerySet[StateFigure]:
    """The stored figures matching `filters` (an empty filter matches everything); unknown values match nothing."""
    found = StateFigure.objects.all()
    if filters.service:
        found = found.filter(service=filters.service) if filters.service in Service.values else found.none()
    if filters.period:
        period = filters.period.upper()
        found = found.filter(period=period) if PERIOD.match(period) else found.none()
    if filters.territory_level:
        level = filters.territory_level
        found = found.filter(territory_level=level) if level in TerritoryLevel.values else found.none()
    if filters.territory_code:
        found = found.filter(territory_code=filters.territory_code.upper())
    if filters.indicator:
        indicator = filters.indicator
        found = found.filter(indicator=indicator) if indicator in Indicator.values else found.none()
    return found


def state_figures(
    period: str, territory_level: str, territory_code: str, service: str = ""
) -> dict[tuple[str, str], int]:
    """{(service, indicator): value} for one period and one territory, every service or one: what the monitoring
    pages show beside the Region's indicators for the same period and territory."""
    rows = figures(Filters(service, period, territory_level, territory_code))
    return {(row.service, row.indicator): row.value for row in rows}
