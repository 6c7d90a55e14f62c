"""Small counts hidden in every published count (statistical confidentiality), one rule for every app.

A count from 1 to 4 could point at a person (« 2 young people of this commune entered an E2C »): it is shown as
« < 5 » (primary suppression). Hiding one cell is not enough when the table also shows a total: the cell would be
the total minus the others. So in every line (a row or a column) whose total is published, a line with exactly one
hidden cell gets a second one hidden (secondary suppression: the smallest other non-zero cell, shown « masqué »),
or, when no such cell exists, its total hidden; and again until no line has a single hidden cell. Zero is shown: it
tells nothing about anyone, and hiding it would not protect the other cells (a hidden 0 next to a hidden 3 lets the
3 be recomputed), so a zero is never picked as the complementary cell.

`suppress` does a single breakdown with its total; `suppress_table` a two-way table with row and column totals.
Both return new values and never change the input; callers show the values as they are (int or str).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

THRESHOLD = 5
SMALL = "< 5"
MASKED = "masqué"

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

Shown = int | str


def is_small(count: int) -> bool:
    """A count that would be shown « < 5 » (0 is shown as 0)."""
    return 0 < count < THRESHOLD


def hide(count: int) -> Shown:
    """One count on its own (no total beside it): « < 5 » or the count."""
    return SMALL if is_small(count) else count


def suppress(counts: Mapping[K, int], total: int | None = None) -> tuple[dict[K, Shown], Shown | None]:
    """A breakdown and, if published, its total (`None`: no total shown).

    Returns the shown cells and the shown total; see the module's docstring for the rule."""
    table = suppress_table({"_": dict(counts)}, row_totals={"_": total} if total is not None else None)
    cells, totals = table.cells["_"], table.row_totals
    return cells, (totals["_"] if total is not None else None)


class SuppressedTable:
    """The result of `suppress_table`: `cells[row][column]`, `row_totals[row]`, `column_totals[column]`."""

    def __init__(
        self,
        cells: dict,
        row_totals: dict,
        column_totals: dict,
    ) -> None:
        self.cells = cells
        self.row_totals = row_totals
        self.column_totals = column_totals


def suppress_table(
    counts: Mapping[R, Mapping[C, int]],
    row_totals: Mapping[R, int] | None = None,
    column_totals: Mapping[C, int] | None = None,
) -> SuppressedTable:
    """A two-way table of counts with (optionally) its published row and column totals.

    A total given here is published (and so must be protected); a total not given is not published. Missing cells
    count as 0."""
    rows = list(counts)
    columns: list = []
    for row in rows:
        for column in counts[row]:
            if column not in columns:
                columns.append(column)
    value = {(r, c): int(counts[r].get(c, 0)) for r in rows for c in columns}
    for v in value.values():
        if v < 0:
            raise ValueError("un effectif ne peut pas être négatif")
    primary = {cell for cell, v in value.items() if is_small(v)}
    hidden = set(primary)
    secondary: set = set()
    hidden_row_totals = {r for r, t in (row_totals or {}).items() if is_small(t)}
    hidden_column_totals = {c for c, t in (column_totals or {}).items() if is_small(t)}

    def lines():
        if row_totals is not None:
            for r in row_totals:
                if r in counts:
                    yield ("row", r, [(r, c) for c in columns])
        if column_totals is not None:
            for c in column_totals:
                if c in columns:
                    yield ("column", c, [(r, c) for r in rows])

    changed = True
    while changed:
        changed = False
        for kind, key, cells in lines():
            total_hidden = key in (hidden_row_totals if kind == "row" else hidden_column_totals)
            if total_hidden:
                continue  # an unpublished total reveals nothing about its line
            secret = [cell for cell in cells if cell in hidden]
            if len(secret) != 1:
                continue
            candidates = sorted(
                (cell for cell in cells if cell not in hidden and value[cell] > 0),
                key=lambda cell: (value[cell], str(cell)),
            )
            if candidates:
                hidden.add(candidates[0])
                secondary.add(candidates[0])
            elif kind == "row":
                hidden_row_totals.add(key)
            else:
                hidden_column_totals.add(key)
            changed = True

    def shown(cell) -> Shown:
        if cell in primary:
            return SMALL
        if cell in secondary:
            return MASKED
        return value[cell]

    def shown_total(total: int, is_hidden: bool) -> Shown:
        if not is_hidden:
            return total
        return SMALL if is_small(total) else MASKED

    return SuppressedTable(
        cells={r: {c: shown((r, c)) for c in columns} for r in rows},
        row_totals={r: shown_total(t, r in hidden_row_totals) for r, t in (row_totals or {}).items()},
        column_totals={
            c: shown_total(t, c in hidden_column_totals) for c, t in (column_totals or {}).items()
        },
    )
