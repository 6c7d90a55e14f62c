"""Signed changes to rollup cells, for the sources whose rows change after they are counted (events, dropouts).

Such a source announces a change twice in its own transaction: before writing (« retract »: the rows' cells are
subtracted) and after (« add »: the rows' new cells are added), so the net effect is the change's delta whatever
the rows' old state was, with no copy of that state kept anywhere. A cell back to 0 is removed, as a rebuild would
not write it.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection

from spro.monitoring import rollups
from spro.monitoring.models import Rollup


def negate(cells: Counter[rollups.Key]) -> Counter[rollups.Key]:
    return Counter({key: -n for key, n in cells.items()})


def apply(cells: Counter[rollups.Key]) -> None:
    """Add signed counts (in the caller's transaction), then remove the cells they emptied."""
    cells = Counter({key: n for key, n in cells.items() if n})
    if not cells:
        return
    rollups.add(cells)
    emptied = [key for key, n in cells.items() if n < 0]
    if emptied:
        table = connection.ops.quote_name(Rollup._meta.db_table)
        sql = (
            f"DELETE FROM {table} WHERE indicator = %s AND structure_id = %s AND level = %s "  # noqa: S608 - names
            "AND dimension = %s AND month = %s AND territory = %s AND value = %s AND count = 0"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, emptied)
