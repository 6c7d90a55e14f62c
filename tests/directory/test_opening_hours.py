"""The supported subset of OpenStreetMap opening_hours: what it reads, what it refuses, and "open at"."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.directory.opening_hours import OpeningHoursError, check, parse

MONDAY = dt.date(2026, 11, 23)


def at(day_offset: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day_offset), dt.time(hours, minutes))


def test_weekday_ranges_lists_and_split_days():
    schedule = parse("Mo-Fr 08:30-12:30, Mo-We,Fr 13:30-16:30")
    assert schedule.is_open(at(0, "09:00")) and schedule.is_open(at(0, "14:00"))
    assert schedule.is_open(at(3, "09:00")) and not schedule.is_open(at(3, "14:00"))  # Thursday afternoon
    assert not schedule.is_open(at(0, "12:30")) and not schedule.is_open(
        at(5, "10:00")
    )  # end excluded, Saturday


def test_a_later_rule_replaces_the_days_it_names():
    schedule = parse("Mo-Fr 08:30-12:30; Mo-We,Fr 13:30-16:30")
    assert not schedule.is_open(at(0, "09:00")) and schedule.is_open(at(3, "09:00"))


def test_later_rules_override_earlier_ones_and_off_closes():
    schedule = parse("Mo-Fr 09:00-17:00; We off")
    assert not schedule.is_open(at(2, "10:00")) and schedule.is_open(at(1, "10:00"))


def test_always_open_wrapping_day_ranges_and_public_holidays():
    assert parse("24/7").is_open(at(6, "03:00"))
    weekend = parse("Sa-Mo 10:00-12:00; PH off")
    assert (
        weekend.is_open(at(0, "11:00"))
        and weekend.is_open(at(6, "11:00"))
        and not weekend.is_open(at(2, "11:00"))
    )
    assert weekend.holidays == []
    assert ("jours fériés", "fermé") in weekend.describe()


def test_description_in_french():
    lines = dict(parse("Mo-Fr 09:00-12:30,13:30-17:00").describe())
    assert lines["lundi"] == "9 h–12 h 30, 13 h 30–17 h" and lines["dimanche"] == "fermé"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Mo-Fr",
        "Jan-Mar Mo 10:00-12:00",
        "Mo 10:00-09:00",
        "Mo 10:00-12:00,11:00-13:00",
        "Mo 25:00-26:00",
        "Mo-Fr 09:00+",
        "sunrise-sunset",
        "Xx 10:00-12:00",
        "Mo 09:00-12:00, Mo 11:00-13:00",
    ],
)
def test_unsupported_or_wrong_texts_are_refused_with_a_reason(text):
    with pytest.raises(OpeningHoursError):
        parse(text)
    assert check(text)
