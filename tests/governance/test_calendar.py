"""The computed life of a convention (spro.governance.calendar) and `spro conventions calendrier`: the contract of
docs/gouvernance.md, « Dates d’une convention », case by case."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spro.governance import calendar as cal

D = date.fromisoformat


# --- add_months: D + 2 calendar months, same day or last day of the month -------------------------------------
@pytest.mark.parametrize(
    ("sent", "end"),
    [
        ("2025-01-10", "2025-03-10"),  # same day
        ("2025-12-31", "2026-02-28"),  # end of month into a short February
        ("2023-12-31", "2024-02-29"),  # ... of a leap year
        ("2023-12-30", "2024-02-29"),
        ("2025-12-29", "2026-02-28"),
        ("2024-12-29", "2025-02-28"),
        ("2025-11-30", "2026-01-30"),  # across a year
        ("2025-07-31", "2025-09-30"),  # 31 → month of 30 days
        ("2025-08-31", "2025-10-31"),
        ("2024-02-29", "2024-04-29"),
        ("2025-02-28", "2025-04-28"),  # no « end of month stays end of month » rule: same day number
    ],
)
def test_notice_ends_two_calendar_months_later(sent, end):
    assert cal.notice_end(D(sent)) == D(end)


# --- anniversaries from the effect date ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("effect", "years", "expected"),
    [
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 3, "2027-02-28"),
        ("2024-02-29", 4, "2028-02-29"),  # computed from the effect date, not from the previous anniversary
        ("2025-03-15", 2, "2027-03-15"),
        ("2025-12-31", 1, "2026-12-31"),
    ],
)
def test_anniversaries_are_computed_from_the_effect_date(effect, years, expected):
    assert cal.anniversary(D(effect), years) == D(expected)


def _life(effect, cprdfop, notice=None, on=None):
    return cal.life(D(effect), D(cprdfop), D(notice) if notice else None, D(on) if on else None).as_json()


def test_the_contract_example():
    assert _life("2025-03-15", "2027-03-14", on="2025-12-01") == {
        "periodes": [
            {"debut": "2025-03-15", "fin": "2026-03-14"},
            {"debut": "2026-03-15", "fin": "2027-03-14"},
        ],
        "fin": "2027-03-14",
        "motif_fin": "cprdfop",
        "prochaine_reconduction": "2026-03-15",
    }


def test_the_cprdfop_end_cuts_the_last_period():
    result = _life("2025-03-15", "2026-09-30", on="2025-04-01")
    assert result["periodes"] == [
        {"debut": "2025-03-15", "fin": "2026-03-14"},
        {"debut": "2026-03-15", "fin": "2026-09-30"},
    ]
    assert (result["fin"], result["motif_fin"], result["prochaine_reconduction"]) == (
        "2026-09-30",
        "cprdfop",
        "2026-03-15",
    )


def test_no_period_starts_after_the_cprdfop_end():
    result = _life("2025-03-15", "2026-03-14", on="2025-04-01")
    assert result["periodes"] == [{"debut": "2025-03-15", "fin": "2026-03-14"}]
    assert result["prochaine_reconduction"] is None


def test_a_cprdfop_ending_on_an_anniversary_gives_a_one_day_period():
    result = _life("2025-03-15", "2026-03-15", on="2025-04-01")
    assert result["periodes"][-1] == {"debut": "2026-03-15", "fin": "2026-03-15"}
    assert result["prochaine_reconduction"] == "2026-03-15"


def test_a_cprdfop_ending_on_the_effect_date():
    result = _life("2025-03-15", "2025-03-15", on="2025-03-15")
    assert result["periodes"] == [{"debut": "2025-03-15", "fin": "2025-03-15"}]
    assert result["prochaine_reconduction"] is None


def test_a_29_february_effect_date_gives_28_february_anniversaries():
    result = _life("2024-02-29", "2028-12-31", on="2024-06-01")
    assert [p["debut"] for p in result["periodes"]] == [
        "2024-02-29",
        "2025-02-28",
        "2026-02-28",
        "2027-02-28",
        "2028-02-29",
    ]
    assert result["periodes"][3] == {"debut": "2027-02-28", "fin": "2028-02-28"}
    assert result["periodes"][-1] == {"debut": "2028-02-29", "fin": "2028-12-31"}
    assert result["prochaine_reconduction"] == "2025-02-28"


def test_a_notice_ends_the_convention_two_months_later_and_cuts_the_periods():
    result = _life("2025-03-15", "2030-12-31", notice="2026-01-10", on="2026-01-11")
    assert result["fin"] == "2026-03-10"
    assert result["motif_fin"] == "denonciation"
    assert result["periodes"] == [{"debut": "2025-03-15", "fin": "2026-03-10"}]
    assert result["prochaine_reconduction"] is None  # the notice ends it before the anniversary


def test_a_notice_ending_after_an_anniversary_leaves_that_renewal():
    result = _life("2025-03-15", "2030-12-31", notice="2026-02-20", on="2026-02-21")
    assert result["fin"] == "2026-04-20"
    assert result["periodes"][-1] == {"debut": "2026-03-15", "fin": "2026-04-20"}
    assert result["prochaine_reconduction"] == "2026-03-15"


def test_the_cprdfop_end_falling_inside_a_notice_period_wins():
    result = _life("2025-03-15", "2027-03-14", notice="2027-02-01", on="2027-02-02")
    assert (result["fin"], result["motif_fin"]) == ("2027-03-14", "cprdfop")
    assert result["periodes"][-1] == {"debut": "2026-03-15", "fin": "2027-03-14"}


def test_a_notice_ending_the_same_day_as_the_cprdfop_is_a_termination():
    result = _life("2025-03-15", "2027-03-14", notice="2027-01-14", on="2027-01-15")
    assert (result["fin"], result["motif_fin"]) == ("2027-03-14", "denonciation")


def test_a_notice_sent_on_the_effect_date():
    result = _life("2025-03-15", "2030-12-31", notice="2025-03-15", on="2025-03-15")
    assert (result["fin"], result["motif_fin"]) == ("2025-05-15", "denonciation")
    assert result["periodes"] == [{"debut": "2025-03-15", "fin": "2025-05-15"}]


def test_a_notice_sent_on_31_december_ends_on_the_last_day_of_february():
    result = _life("2023-01-01", "2030-12-31", notice="2025-12-31", on="2026-01-01")
    assert result["fin"] == "2026-02-28"


def test_a_reference_day_before_the_effect_date_gives_the_first_anniversary():
    assert _life("2025-03-15", "2030-12-31", on="2024-01-01")["prochaine_reconduction"] == "2026-03-15"


def test_the_reference_day_on_an_anniversary_gives_the_next_one():
    assert _life("2025-03-15", "2030-12-31", on="2026-03-15")["prochaine_reconduction"] == "2027-03-15"


def test_the_reference_day_before_an_anniversary():
    assert _life("2025-03-15", "2030-12-31", on="2026-03-14")["prochaine_reconduction"] == "2026-03-15"


def test_after_the_end_there_is_no_next_renewal():
    assert _life("2025-03-15", "2027-03-14", on="2028-01-01")["prochaine_reconduction"] is None


def test_the_reference_day_defaults_to_today():
    today = date.today()
    life = cal.life(date(today.year - 1, 1, 1), date(today.year + 5, 12, 31))
    assert life.on == today


def test_current_period_and_last_possible_end():
    life = cal.life(D("2025-03-15"), D("2027-03-14"), on=D("2026-06-01"))
    assert life.current_period() == cal.Period(D("2026-03-15"), D("2027-03-14"))
    assert life.last_possible_end == D("2027-03-14")
    assert life.in_force()
    assert cal.life(D("2025-03-15"), D("2027-03-14"), on=D("2025-01-01")).current_period() is None


@pytest.mark.parametrize(
    ("effect", "cprdfop", "notice", "message"),
    [
        ("2025-03-15", "2025-03-14", None, "précède la date d’effet"),
        ("2025-03-15", "2030-12-31", "2025-03-14", "dénonciation"),
    ],
)
def test_impossible_dates_are_refused_in_french(effect, cprdfop, notice, message):
    with pytest.raises(cal.CalendarError, match=message):
        cal.life(D(effect), D(cprdfop), D(notice) if notice else None)


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "15/03/2025", "20250315", "", "2025-3-15"])
def test_parse_date_is_strict(value):
    with pytest.raises(cal.CalendarError, match="--effet"):
        cal.parse_date(value, "--effet")


# --- the command --------------------------------------------------------------------------------------------------
def _run(*args: str) -> str:
    out = StringIO()
    call_command("conventions", "calendrier", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_contract_example_exactly():
    out = _run("--effet", "2025-03-15", "--cprdfop-fin", "2027-03-14", "--au", "2025-12-01", "--json")
    assert json.loads(out) == json.loads(
        '{"periodes": [{"debut": "2025-03-15", "fin": "2026-03-14"}, {"debut": "2026-03-15", "fin": "2027-03-14"}],'
        ' "fin": "2027-03-14", "motif_fin": "cprdfop", "prochaine_reconduction": "2026-03-15"}'
    )
    assert list(json.loads(out)) == ["periodes", "fin", "motif_fin", "prochaine_reconduction"]
    # The contract's example, written on one line: same values, same key order, same separators.
    assert out.strip() == (
        '{"periodes": [{"debut": "2025-03-15", "fin": "2026-03-14"}, {"debut": "2026-03-15", "fin": "2027-03-14"}],'
        ' "fin": "2027-03-14", "motif_fin": "cprdfop", "prochaine_reconduction": "2026-03-15"}'
    )


def test_the_command_prints_null_when_no_renewal():
    out = _run("--effet", "2025-03-15", "--cprdfop-fin", "2026-01-01", "--au", "2025-12-01", "--json")
    assert '"prochaine_reconduction": null' in out


def test_the_command_in_plain_french():
    out = _run(
        "--effet",
        "2025-03-15",
        "--cprdfop-fin",
        "2030-12-31",
        "--denonciation",
        "2026-01-10",
        "--au",
        "2026-01-11",
    )
    assert "Période 1 : du 15/03/2025 au 10/03/2026" in out
    assert "Fin : 10/03/2026 (dénonciation)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cprdfop-fin", "2027-03-14"], "Indiquez --effet"),
        (["--effet", "2025-03-15"], "Indiquez --cprdfop-fin"),
        (["--effet", "2025-02-29", "--cprdfop-fin", "2027-03-14"], "n’est pas une date qui existe"),
        (["--effet", "15/03/2025", "--cprdfop-fin", "2027-03-14"], "format AAAA-MM-JJ"),
        (["--effet", "2025-03-15", "--cprdfop-fin", "2027-03-14", "--au", "demain"], "--au"),
        (["--effet", "2025-03-15", "--cprdfop-fin", "2024-03-14"], "précède"),
    ],
)
def test_bad_dates_are_a_french_error(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_bad_dates_exit_non_zero_through_the_console_script():
    completed = subprocess.run(
        [sys.executable, "-m", "spro.manage", "conventions", "calendrier", "--effet", "2025-02-30"]
        + ["--cprdfop-fin", "2027-03-14"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "n’est pas une date qui existe" in completed.stderr
