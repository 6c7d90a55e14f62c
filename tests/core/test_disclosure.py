"""Small counts: « < 5 », and no hidden cell can be recomputed from a published total."""

from __future__ import annotations

import itertools

import pytest

from spro.core.disclosure import MASKED, SMALL, hide, suppress, suppress_table


def test_a_count_alone_is_hidden_from_1_to_4_only():
    assert [hide(n) for n in (0, 1, 4, 5, 12)] == [0, SMALL, SMALL, 5, 12]


def test_a_single_small_cell_beside_a_total_takes_a_second_cell_with_it():
    cells, total = suppress({"E2C": 3, "apprentissage": 40, "emploi": 12, "service civique": 0}, total=55)
    assert cells == {"E2C": SMALL, "apprentissage": 40, "emploi": MASKED, "service civique": 0}
    assert total == 55


def test_without_a_published_total_nothing_more_is_hidden():
    cells, total = suppress({"a": 3, "b": 40, "c": 12})
    assert cells == {"a": SMALL, "b": 40, "c": 12}
    assert total is None


def test_a_zero_is_never_the_complementary_cell_and_the_total_goes_when_nothing_else_can():
    cells, total = suppress({"a": 3, "b": 0}, total=3)
    assert cells == {"a": SMALL, "b": 0}
    assert total == SMALL
    # Inconsistent on purpose (no cell can take the complement): the total still hides.
    cells, total = suppress({"a": 3, "b": 0, "c": 0}, total=9)
    assert total == MASKED


def test_two_small_cells_protect_each_other():
    cells, total = suppress({"a": 2, "b": 3, "c": 50}, total=55)
    assert cells == {"a": SMALL, "b": SMALL, "c": 50}
    assert total == 55


def _recoverable(shown_cells, shown_row_totals, shown_column_totals, counts):
    """Cells that a reader recovers by subtracting the shown cells of a line from its shown total."""
    found = set()
    rows = list(counts)
    columns = list(next(iter(counts.values())))
    for r in rows:
        total = shown_row_totals.get(r)
        secret = [c for c in columns if not isinstance(shown_cells[r][c], int)]
        if isinstance(total, int) and len(secret) == 1:
            found.add((r, secret[0]))
    for c in columns:
        total = shown_column_totals.get(c)
        secret = [r for r in rows if not isinstance(shown_cells[r][c], int)]
        if isinstance(total, int) and len(secret) == 1:
            found.add((secret[0], c))
    return found


def test_a_crafted_two_way_table_leaves_no_hidden_cell_recomputable():
    # Solutions by type (columns) per PSAD zone (rows), with both totals published. The 2 in zone B / E2C is the
    # only small cell; hiding it alone would let row B and column E2C give it back.
    counts = {
        "zone A": {"retour école": 30, "E2C": 12, "apprentissage": 25},
        "zone B": {"retour école": 18, "E2C": 2, "apprentissage": 21},
        "zone C": {"retour école": 40, "E2C": 9, "apprentissage": 3},
    }
    row_totals = {r: sum(v.values()) for r, v in counts.items()}
    column_totals = {c: sum(counts[r][c] for r in counts) for c in counts["zone A"]}
    table = suppress_table(counts, row_totals, column_totals)
    assert table.cells["zone B"]["E2C"] == SMALL
    assert table.cells["zone C"]["apprentissage"] == SMALL
    hidden = {(r, c) for r in counts for c in counts[r] if not isinstance(table.cells[r][c], int)}
    assert len(hidden) >= 4
    assert not _recoverable(table.cells, table.row_totals, table.column_totals, counts)
    # Every published line holds zero or at least two hidden cells.
    for r in counts:
        assert sum(1 for c in counts[r] if (r, c) in hidden) != 1
    for c in counts["zone A"]:
        assert sum(1 for r in counts if (r, c) in hidden) != 1


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_never_leave_a_line_with_one_hidden_cell(seed):
    import random

    rng = random.Random(seed)
    rows, columns = [f"r{i}" for i in range(rng.randint(1, 5))], [f"c{j}" for j in range(rng.randint(1, 5))]
    counts = {r: {c: rng.choice([0, 1, 2, 3, 4, 5, 8, 20, 60]) for c in columns} for r in rows}
    row_totals = {r: sum(counts[r].values()) for r in rows}
    column_totals = {c: sum(counts[r][c] for r in rows) for c in columns}
    table = suppress_table(counts, row_totals, column_totals)
    assert not _recoverable(table.cells, table.row_totals, table.column_totals, counts)
    for r, c in itertools.product(rows, columns):
        shown = table.cells[r][c]
        if 0 < counts[r][c] < 5:
            assert shown == SMALL
        elif isinstance(shown, int):
            assert shown == counts[r][c]


def test_negative_counts_are_a_bug():
    with pytest.raises(ValueError):
        suppress({"a": -1}, total=0)
