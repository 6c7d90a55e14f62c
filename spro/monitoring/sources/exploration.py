"""« exploration »: questionnaires of the interest explorer completed per month, from its anonymous daily count
(`spro.explorer.models.DailyCount`: a day and a number, nothing about a person, no territory).

So the rollups hold one cell per month: every structure (0), the whole (« ensemble »), no breakdown. A completed
questionnaire adds 1 in the transaction that counted it (`spro.explorer.signals.questionnaire_counted`); a rebuild
sums the daily counts per month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from spro.monitoring import rollups

INDICATOR = "exploration"
DIMENSIONS: tuple[str, ...] = ()


def on_questionnaire_counted(sender, day: dt.date, **_kwargs) -> None:
    rollups.add(
        Counter({(INDICATOR, rollups.ALL_STRUCTURES, rollups.WHOLE, "", rollups.month_of(day), "", ""): 1})
    )


def statements() -> list[str]:
    from spro.explorer.models import DailyCount

    table = rollups._table()
    month = rollups._month_sql("d.date")
    return [
        f"INSERT INTO {table} ({rollups.UPSERT_COLUMNS}) "  # noqa: S608 - constants only
        f"SELECT '{INDICATOR}', {rollups.ALL_STRUCTURES}, '{rollups.WHOLE}', '', {month}, '', '', "
        f"SUM(d.questionnaires) FROM {DailyCount._meta.db_table} d GROUP BY {month} "
        "HAVING SUM(d.questionnaires) > 0"
    ]
