"""What the sources of this package share: a row's cells (with −1 for what a change takes away), writing them with
the emptied cells removed, a row's place from its département or commune, and the rebuild statements of a source
that has no structure (`per_structure=False`: only the every-structure rows)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection

from spro.monitoring import rollups
from spro.monitoring.rollups import ALL_STRUCTURES, LEVELS, STRUCTURE_LEVELS, WHOLE, Key, Place
from spro.referentials.geo.models import Departement

Value = tuple[str, str]  # (dimension, value); ("", "") is the total


def numerator(code: str) -> str:
    """The rollups' indicator holding a rate's numerator (a declaration's code never has a colon)."""
    return f"{code}:numerateur"


#: The levels of a source that knows a row's département only: its commune, EPCI and bassin rows would all be
#: « non renseigné », so they are not written (and its declaration allows neither).
DEPARTEMENT_LEVELS = (WHOLE, "departement", "region")


def cells(
    indicator: str,
    structure_id: int | None,
    place: Place,
    month: dt.date,
    values: Iterable[Value],
    n: int = 1,
    levels: tuple[str, ...] = (WHOLE, *LEVELS),
) -> Counter[Key]:
    """`n` in each cell of one source row at `levels`: every structure (and its own structure's, if it has one)."""
    result: Counter[Key] = Counter()
    structures = (ALL_STRUCTURES,) if structure_id is None else (ALL_STRUCTURES, structure_id)
    values = list(values)
    for structure in structures:
        for level, territory in place.levels():
            if level not in levels or (structure != ALL_STRUCTURES and level not in STRUCTURE_LEVELS):
                continue
            for dimension, value in values:
                result[(indicator, structure, level, dimension, month, territory, value)] += n
    return result


#: Cells upserted per statement (8 parameters each: far below SQLite's and PostgreSQL's limits).
CHUNK = 500


def write(changes: Counter[Key]) -> None:
    """Add the changes (in the caller's transaction) with one multi-row upsert (not one statement per cell: on
    PostgreSQL each is a round trip, bench/monitoring/hooks.py); a cell brought back to 0 is removed, as a rebuild
    would not write it."""
    changes = Counter({key: n for key, n in changes.items() if n})
    table = connection.ops.quote_name(rollups.Rollup._meta.db_table)
    rows = [(*key, n) for key, n in changes.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({rollups.UPSERT_COLUMNS}) VALUES {placeholders} "  # noqa: S608 - names
                f"ON CONFLICT ({rollups.CONFLICT}) DO UPDATE SET count = {table}.count + excluded.count",
                [value for row in chunk for value in row],
            )
    emptied = [key for key, n in changes.items() if n < 0]
    if emptied:
        sql = (
            f"DELETE FROM {table} WHERE indicator = %s AND structure_id = %s AND level = %s "  # noqa: S608 - names
            "AND dimension = %s AND month = %s AND territory = %s AND value = %s AND count = 0"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, emptied)


def departement_place(code: str | None) -> Place:
    """The place of a row that knows only its département (its région from the referential; unknown: nothing)."""
    region = Departement.objects.filter(pk=code).values_list("region_id", flat=True).first() if code else None
    return Place(departement=code or "", region=region or "") if region is not None else Place()


def commune_place(code: str | None) -> Place:
    by_commune, _ = rollups.places([code], [])
    return by_commune.get(code or "") or Place()


def statements(
    indicator: str,
    base: str,
    dimensions: list[tuple[str, str, str]],
    *,
    per_structure: bool,
    levels: tuple[str, ...] = (WHOLE, *LEVELS),
) -> list[str]:
    """INSERT … SELECT … GROUP BY statements writing every cell of `indicator` from `base` (one line per source row
    with `month`, one column per territory level and, if `per_structure`, `structure_id`); `dimensions`: (name, SQL
    value, join). The same cells as `cells` writes, row by row (a source with a structure writes every level)."""
    return rollups._statements(indicator, base, dimensions, per_structure=per_structure, levels=levels)


def departement_columns(alias: str) -> str:
    """The territory columns of a row located by its département only (`DEPARTEMENT_LEVELS`)."""
    return f"COALESCE({alias}.code, '') AS departement, COALESCE({alias}.region_id, '') AS region"
