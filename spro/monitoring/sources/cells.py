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


def cells(
    indicator: str,
    structure_id: int | None,
    place: Place,
    month: dt.date,
    values: Iterable[Value],
    n: int = 1,
) -> Counter[Key]:
    """`n` in each cell of one source row: every structure (and its own structure's levels, if it has one)."""
    result: Counter[Key] = Counter()
    structures = (ALL_STRUCTURES,) if structure_id is None else (ALL_STRUCTURES, structure_id)
    values = list(values)
    for structure in structures:
        for level, territory in place.levels():
            if structure != ALL_STRUCTURES and level not in STRUCTURE_LEVELS:
                continue
            for dimension, value in values:
                result[(indicator, structure, level, dimension, month, territory, value)] += n
    return result


def write(changes: Counter[Key]) -> None:
    """Add the changes (in the caller's transaction); a cell brought back to 0 is removed, as a rebuild would not
    write it."""
    changes = Counter({key: n for key, n in changes.items() if n})
    rollups.add(changes)
    emptied = [key for key, n in changes.items() if n < 0]
    if emptied:
        table = connection.ops.quote_name(rollups.Rollup._meta.db_table)
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
    indicator: str, base: str, dimensions: list[tuple[str, str, str]], *, per_structure: bool
) -> list[str]:
    """INSERT … SELECT … GROUP BY statements writing every cell of `indicator` from `base` (one line per source row
    with `month`, one column per territory level and, if `per_structure`, `structure_id`); `dimensions`: (name, SQL
    value, join). The same cells as `cells` writes, row by row."""
    if per_structure:
        return rollups._statements(indicator, base, dimensions)
    table = connection.ops.quote_name(rollups.Rollup._meta.db_table)
    result = []
    for level in (WHOLE, *LEVELS):
        territory = "''" if level == WHOLE else f"base.{level}"
        for dimension, value, join in dimensions:
            grouped = ", ".join(e for e in ("base.month", territory, value) if e != "''")
            result.append(
                f"INSERT INTO {table} ({rollups.UPSERT_COLUMNS}) "  # noqa: S608 - constants only
                f"SELECT '{indicator}', {ALL_STRUCTURES}, '{level}', '{dimension}', base.month, {territory}, "
                f"{value}, COUNT(*) FROM ({base}) base{join} GROUP BY {grouped}"
            )
    return result


def departement_columns(alias: str) -> str:
    """The territory columns of a row located by its département only (commune, EPCI and bassin not known)."""
    return (
        f"'' AS commune, '' AS epci, '' AS bassin, COALESCE({alias}.code, '') AS departement, "
        f"COALESCE({alias}.region_id, '') AS region"
    )
