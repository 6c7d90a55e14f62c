"""Month arithmetic on dates: the same day some calendar months later or earlier, or the last day of that month
when it has no such day (31 January + 1 month = 28 or 29 February; day 1 stays day 1).

One home for the rule the conventions' notice (`spro.governance.calendar`, which re-exports it), the retention
periods (pathways, dropout lists), the chain's follow-up months, the feedback follow-up and the monitoring's
first-of-month periods all count with, and the months' French names. Pure, no database.
"""

from __future__ import annotations

import calendar
from datetime import date

#: The months' names in French, lower case as written inside a sentence (« 3 mars », « mars 2026 »).
MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def add_months(day: date, months: int) -> date:
    """Same day `months` calendar months later (earlier when negative), or the last day of that month when it has
    no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
