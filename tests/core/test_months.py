"""spro.core.months.add_months: same day, or the month's last day; day 1 stays day 1 (the monitoring's months)."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.core.months import add_months
from spro.governance import calendar


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 1, 15), -13, dt.date(2024, 12, 15)),
        (dt.date(2026, 5, 30), 24, dt.date(2028, 5, 30)),
    ],
)
def test_same_day_or_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_first_of_a_month_stays_the_first():
    for months in range(-30, 31):
        assert add_months(dt.date(2026, 1, 1), months).day == 1


def test_governance_re_exports_the_one_rule():
    assert calendar.add_months is add_months
