"""The chain's indicators: what each counts, small counts hidden so that no hidden cell comes back from a sum, who
sees which zones."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.audit.models import AuditEvent
from spro.core.disclosure import MASKED, SMALL
from spro.dropouts import indicators
from spro.dropouts.models import (
    Campaign,
    ContactAttempt,
    FollowUp,
    SituationRecord,
    Solution,
    YoungPerson,
)
from tests.dropouts.conftest import born, line, run_import, write_list

pytestmark = pytest.mark.django_db

CAMPAIGN = "2025-11"
IN_CAMPAIGN = date(2025, 11, 10)


def _listed(tmp_path, commune: str, count: int, *, start: int, age: int = 20) -> list[YoungPerson]:
    lines = [
        line(
            ine=f"{start + i:010d}A", nom=f"Jeune {chr(65 + i % 26)}{chr(65 + i // 26)}", commune=commune
        ).replace(born(20), born(age))
        for i in range(count)
    ]
    run_import(write_list(tmp_path, *lines, name=f"l{start}.csv"), CAMPAIGN)
    return list(YoungPerson.objects.filter(commune=commune).order_by("pk"))[-count:]


def _contact(person, result: str, on: date = IN_CAMPAIGN) -> None:
    ContactAttempt.objects.create(person=person, channel="telephone", made_on=on, result=result)


def _table(result, key: str) -> dict[str, dict]:
    table = next(t for t in result.tables if t.key == key)
    return {zone: cells for zone, _, cells in table.rows}


def _hidden(value) -> bool:
    return value in (SMALL, MASKED)


def _assert_no_line_with_one_hidden_cell(result) -> None:
    """Every row of a split table and every column (zones and the total line) has 0 or ≥ 2 hidden cells."""
    for table in result.tables:
        rows = [cells for _, _, cells in table.rows]
        codes = [code for code, _ in table.columns]
        if table.key.startswith(("contact", "situations", "solutions")):
            for cells in rows:
                assert sum(_hidden(cells[code]) for code in codes) != 1, (table.key, cells)
        for code in codes:
            assert sum(_hidden(cells[code]) for cells in rows) != 1, (table.key, code)


@pytest.fixture
def listed(zone_world, tmp_path):
    """Quimper: 10 young people (3 reached, 7 unreachable); Rennes: 8 (6 reached, 2 never contacted)."""
    quimper = _listed(tmp_path, "29232", 10, start=1)
    rennes = _listed(tmp_path, "35238", 8, start=100)
    for person in quimper[:3]:
        _contact(person, "joint")
    for person in quimper[3:]:
        _contact(person, "pas_de_reponse")
    for person in rennes[:6]:
        _contact(person, "joint")
    return {"quimper": quimper, "rennes": rennes, **zone_world}


def test_counts_and_the_hidden_cell_cannot_come_back(listed):
    result = indicators.compute(Campaign.objects.get(code=CAMPAIGN), None, with_no_zone=True)
    contact = _table(result, "contact")
    # Quimper: listed 10 = 3 reached + 7 unreachable + 0; 3 is « < 5 », and a second cell of the line is hidden,
    # else 10 − 7 − 0 would give it back
    assert contact["quimper"]["listes"] == 10
    assert contact["quimper"]["joints"] == SMALL
    assert contact["quimper"]["non_contactes"] == 0
    assert contact["quimper"]["injoignables"] == MASKED
    # the total line is a sum too: Rennes' 6 reached would give Quimper's 3 from the total 9
    assert _hidden(contact["rennes"]["joints"]) or _hidden(contact[indicators.TOTAL]["joints"])
    assert contact["rennes"]["non_contactes"] == SMALL  # 2
    _assert_no_line_with_one_hidden_cell(result)
    follow = _table(result, "suivi")
    assert follow["quimper"]["contactes"] == 10
    assert follow["rennes"]["contactes"] == 6
    assert follow[indicators.TOTAL]["contactes"] == 16


def test_situations_solutions_follow_ups_and_minors(listed, tmp_path):
    people = listed["rennes"]
    for person in people[:5]:
        SituationRecord.objects.create(person=person, situation="sans_solution", found_on=IN_CAMPAIGN)
        solution = Solution.objects.create(person=person, solution_type="e2c", started_on=date(2025, 11, 20))
        FollowUp.objects.create(
            solution=solution,
            month=3,
            due_on=date(2026, 2, 20),
            done_on=date(2026, 2, 21),
            outcome="toujours_en_solution",
        )
    # outside the campaign's window (before it opened): not counted
    Solution.objects.create(person=people[6], solution_type="emploi", started_on=date(2025, 10, 1))
    minors = _listed(tmp_path, "35238", 5, start=500, age=16)
    for person in minors:
        SituationRecord.objects.create(person=person, situation="en_emploi", found_on=IN_CAMPAIGN)
    result = indicators.compute(Campaign.objects.get(code=CAMPAIGN), None, with_no_zone=True)
    solutions = _table(result, "solutions")
    assert solutions["rennes"]["solutions"] == 5 and solutions["rennes"]["e2c"] == 5
    assert solutions["rennes"]["emploi"] == 0
    assert _table(result, "suivi")["rennes"]["en_solution_3_mois"] == 5
    situations = _table(result, "situations")
    assert situations["rennes"]["situations"] == 10
    assert situations["rennes"]["sans_solution"] == 5 and situations["rennes"]["en_emploi"] == 5
    minor_situations = _table(result, "situations_mineurs")
    assert minor_situations["rennes"]["en_emploi"] == 5 and minor_situations["rennes"]["sans_solution"] == 0
    assert _table(result, "contact_mineurs")["quimper"]["listes"] == 0
    _assert_no_line_with_one_hidden_cell(result)


def test_pilots_see_every_zone_coordinators_their_own_partners_nothing(listed):
    users = listed["users"]
    for role in ("pilote_region", "pilote_etat", "superuser"):
        result = indicators.for_user(users[role], CAMPAIGN)
        assert [code for code, _ in result.zones] == ["quimper", "rennes", indicators.NO_ZONE]
    own = indicators.for_user(users["coordinateur_quimper"], CAMPAIGN)
    assert [code for code, _ in own.zones] == ["quimper"]
    assert _table(own, "contact")[indicators.TOTAL]["listes"] == 10
    with pytest.raises(indicators.IndicatorError):
        indicators.for_user(users["coordinateur_quimper"], CAMPAIGN, "rennes")
    for role in ("conseiller_ml_quimper", "conseiller_psad_quimper", "nobody"):
        with pytest.raises(PermissionDenied):
            indicators.for_user(users[role], CAMPAIGN)
    with pytest.raises(indicators.IndicatorError):
        indicators.for_user(users["pilote_etat"], "2024-01")
    assert AuditEvent.objects.filter(action="dropout.indicators").count() == 4


def test_command_json_and_errors(listed):
    out = StringIO()
    call_command("decrochage", "indicateurs", "--campagne", CAMPAIGN, "--json", stdout=out)
    document = json.loads(out.getvalue())
    contact = next(t for t in document["tableaux"] if t["cle"] == "contact")
    quimper = next(row for row in contact["lignes"] if row["zone"] == "quimper")
    assert quimper["valeurs"]["joints"] == SMALL
    out = StringIO()
    call_command("decrochage", "indicateurs", "--campagne", CAMPAIGN, "--zone", "rennes", stdout=out)
    assert "PSAD du bassin rennais" in out.getvalue() and "Cornouaille" not in out.getvalue()
    with pytest.raises(CommandError, match="inconnue"):
        call_command("decrochage", "indicateurs", "--campagne", "2020-01")
    with pytest.raises(CommandError, match="inconnue"):
        call_command("decrochage", "indicateurs", "--campagne", CAMPAIGN, "--zone", "nulle-part")


def test_protect_hides_a_second_cell_in_every_line():
    """A crafted table: the hidden 3 is protected in its row and in its column, margins included."""
    counts = {"a": {"all": 10, "x": 3, "y": 7}, "b": {"all": 20, "x": 8, "y": 12}}
    shown = indicators.protect(counts, ["all", "x", "y"], split=True)
    assert shown["a"]["x"] == SMALL
    assert shown["a"]["y"] == MASKED  # else 10 − 7
    for row in shown.values():
        assert sum(_hidden(v) for v in row.values()) != 1
    for column in ("all", "x", "y"):
        assert sum(_hidden(shown[r][column]) for r in shown) != 1


def test_the_tables_read_by_ranges_of_young_people_equal_those_read_at_once(listed, monkeypatch):
    campaign = Campaign.objects.get(code=CAMPAIGN)
    at_once = indicators.compute(campaign, None, with_no_zone=True, on=IN_CAMPAIGN).as_json()
    monkeypatch.setattr(indicators, "CHUNK", 4)
    assert len(list(indicators.person_ranges(campaign))) == 5  # 18 young people
    assert indicators.compute(campaign, None, with_no_zone=True, on=IN_CAMPAIGN).as_json() == at_once
    assert at_once["tableaux"][0]["lignes"][-1]["valeurs"]["listes"] == 18
