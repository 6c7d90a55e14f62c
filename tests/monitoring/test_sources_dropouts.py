"""« decrochage-issues »: the rollups follow the dropout chain in its transactions, equal a rebuild, agree with the
per-zone tables of spro.dropouts.indicators (one definition), and survive the purge of an archived campaign."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.dropouts import chain, indicators, retention
from spro.dropouts.models import Campaign, FollowUp, YoungPerson
from spro.monitoring import query, rollups
from spro.monitoring.sources import dropouts as source
from tests.dropouts.conftest import born, line, run_import, write_list, zone_world  # noqa: F401 - fixture
from tests.dropouts.test_chain import days_ago
from tests.monitoring.conftest import rebuilt_cells, rollup_cells, whole

pytestmark = pytest.mark.django_db

CAMPAIGN = "2025-11"
MONTH = "2025-11-01"


def snapshot() -> dict:
    return rollup_cells(source.INDICATOR)


def rebuilt() -> dict:
    return rebuilt_cells(source.INDICATOR)


@pytest.fixture
def people(zone_world):  # noqa: F811 - the fixture imported above
    """Six young people of Quimper (two of them 17) and two of Rennes, listed in the campaign, left 400 days ago."""
    left = days_ago(400).isoformat()
    lines = [
        line(ine=f"{i:010d}A", nom=f"Jeune {chr(65 + i)}", commune=commune, date_sortie=left).replace(
            born(20), born(age)
        )
        for i, (commune, age) in enumerate(
            [("29232", 20), ("29232", 20), ("29232", 20), ("29232", 20), ("29232", 17), ("29232", 17)]
            + [("35238", 20), ("35238", 20)]
        )
    ]
    run_import(write_list(zone_world["tmp"], *lines, name="liste.csv"), CAMPAIGN)
    found = list(YoungPerson.objects.order_by("pk"))
    assert len(found) == 8
    return found


def test_the_import_counts_every_young_person_listed_by_territory_and_psad(people, zone_world):  # noqa: F811
    cells = snapshot()
    psad = zone_world["structures"]["psad-quimper"].pk
    assert cells[(0, "ensemble", "", MONTH, "", "")] == 8
    assert cells[(0, "departement", "", MONTH, "29", "")] == 6
    assert cells[(0, "ensemble", "contact", MONTH, "", "non_contactes")] == 8
    assert cells[(0, "ensemble", "obligation_formation", MONTH, "", source.MINOR)] == 2
    assert cells[(psad, "ensemble", "", MONTH, "", "")] == 6
    assert (
        psad,
        "commune",
        "",
        MONTH,
        "29232",
        "",
    ) not in cells  # a structure's rows stop at the département
    assert cells == rebuilt()


def test_the_chain_moves_counts_incrementally_and_incremental_equals_rebuilt(people, zone_world):  # noqa: F811
    ml = zone_world["users"]["conseiller_ml_quimper"]
    a, b, c, d = people[:4]
    for n in range(3):
        chain.record_contact(ml, a, channel="telephone", made_on=days_ago(40 - n), result="pas_de_reponse")
    chain.record_contact(ml, b, channel="telephone", made_on=days_ago(30), result="pas_de_reponse")
    after_attempts = whole(snapshot())
    assert after_attempts[("contact", "injoignables")] == 2
    assert after_attempts[("suivi", "contactes")] == 2
    # b is reached: one « injoignable » less, one « joint » more.
    chain.record_contact(ml, b, channel="sms", made_on=days_ago(20), result="joint")
    solution = chain.record_solution(
        ml, b, solution_type="apprentissage", started_on=days_ago(100), label="CFA"
    )
    chain.record_situation(ml, c, situation="en_emploi", found_on=days_ago(10))
    follow_up = FollowUp.objects.get(solution=solution, month=3)
    chain.record_follow_up(ml, follow_up, done_on=days_ago(5), outcome="toujours_en_solution")
    chain.record_situation(ml, d, situation="sans_solution", found_on=days_ago(15))
    chain.record_situation(ml, d, situation="deja_en_formation", found_on=days_ago(12))  # the latest wins
    incremental = snapshot()
    totals = whole(incremental)
    assert totals[("contact", "injoignables")] == 1
    assert totals[("contact", "joints")] == 3  # b by an attempt, c and d by a situation
    assert totals[("contact", "non_contactes")] == 4
    assert totals[("solution", "apprentissage")] == 1
    assert totals[("suivi", "en_solution_3_mois")] == 1
    assert totals[("situation", "deja_en_formation")] == 1
    assert ("situation", "sans_solution") not in totals  # emptied by d's later situation, removed
    assert all(count > 0 for count in incremental.values())
    assert incremental == rebuilt()

    # The same definition as the per-zone tables of the dropout chain (their raw counts, before suppression).
    campaign = Campaign.objects.get(code=CAMPAIGN)
    raw: dict[str, int] = {}
    for person in indicators.facts(campaign, None, campaign.opened_on).values():
        for column in indicators.columns_of(person):
            raw[column] = raw.get(column, 0) + 1
    assert raw["joints"] == totals[("contact", "joints")] and raw["listes"] == totals[("", "")]
    assert raw["sol:apprentissage"] == 1 and raw["en_solution_3_mois"] == 1


def test_a_failed_rollup_write_rolls_the_chain_write_back(people, zone_world, monkeypatch):  # noqa: F811
    def fail(*_args, **_kwargs):
        raise RuntimeError("agrégats indisponibles")

    monkeypatch.setattr(source, "campaign_cells", fail)
    ml = zone_world["users"]["conseiller_ml_quimper"]
    with pytest.raises(RuntimeError):
        chain.record_contact(ml, people[0], channel="telephone", made_on=days_ago(3), result="joint")
    assert not people[0].contacts.exists()


def test_closing_recomputes_and_an_archived_campaign_keeps_its_figures_after_the_purge(
    people,
    zone_world,  # noqa: F811
    monkeypatch,
):
    ml = zone_world["users"]["conseiller_ml_quimper"]
    chain.record_contact(ml, people[0], channel="telephone", made_on=days_ago(3), result="joint")
    retention.close_campaign(CAMPAIGN)
    closed = snapshot()
    assert whole(closed)[("contact", "joints")] == 1
    assert closed == rebuilt()

    # A year and more later the campaign is archived: the purge erases its young people, not its figures.
    later = dt.date.today() + dt.timedelta(days=800)
    monkeypatch.setattr(source, "cutoff", lambda today=None: retention.cutoff(later))
    result = retention.purge(today=later)
    assert result.jeunes == 8 and not YoungPerson.objects.exists()
    assert snapshot() == closed
    rollups.rebuild([source.INDICATOR])
    assert snapshot() == closed  # a rebuild leaves an archived campaign's rows as they are


def test_the_query_reads_the_rollups_with_small_counts_hidden(people):
    pilot_scope = query.Scope(None, public_only=False)
    months = query.period("2025-11", "2025-11")
    result = query.run(source.INDICATOR, pilot_scope, breakdown="obligation_formation", months=months)
    line = result.lines[0]
    assert line.total == 8
    assert line.cells[source.MINOR] == "< 5"  # 2 minors
    assert line.cells[source.ADULT] != 6  # the other cell of the split is hidden too (6 = 8 − 2)
    with pytest.raises(LookupError):
        query.run(source.INDICATOR, query.Scope(None, public_only=True), months=months)


def test_rebuild_is_registered():
    assert source.INDICATOR in rollups.REBUILDERS


@pytest.fixture
def interleaved(zone_world):  # noqa: F811 - the fixture imported above
    """Eight young people of CAMPAIGN (six of Quimper, two of them 17, and two of Rennes) whose ids are interleaved
    with one of another campaign, each Quimper one with some of the chain's work: (campaign's people, the other)."""
    left = days_ago(400).isoformat()

    def listed(name: str, campaign: str, people: list[tuple[str, int]]) -> None:
        lines = [
            line(ine=f"{name}{i:09d}A", nom=f"Jeune {name}{chr(65 + i)}", commune=commune, date_sortie=left)
            .replace(born(20), born(age))
            .replace("maelys@example.org", f"{name}{i}@example.org")
            for i, (commune, age) in enumerate(people)
        ]
        run_import(write_list(zone_world["tmp"], *lines, name=f"{name}.csv"), campaign)

    listed("1", CAMPAIGN, [("29232", 20), ("29232", 17), ("29232", 20), ("29232", 17)])
    listed("2", "2025-12", [("29232", 20)])
    listed("3", CAMPAIGN, [("29232", 20), ("29232", 20), ("35238", 20), ("35238", 20)])
    found = list(YoungPerson.objects.order_by("pk"))
    assert len(found) == 9
    other = found.pop(4)
    assert list(other.listings.values_list("campaign__code", flat=True)) == ["2025-12"]
    a, b, c, d, e, f = found[:6]
    ml = zone_world["users"]["conseiller_psad_quimper"]  # the zone's platform acts for all
    chain.record_contact(ml, a, channel="telephone", made_on=days_ago(40), result="pas_de_reponse")
    chain.record_contact(ml, b, channel="sms", made_on=days_ago(30), result="joint")
    solution = chain.record_solution(
        ml, b, solution_type="apprentissage", started_on=days_ago(100), label="CFA"
    )
    chain.record_follow_up(
        ml,
        FollowUp.objects.get(solution=solution, month=3),
        done_on=days_ago(5),
        outcome="toujours_en_solution",
    )
    chain.record_situation(ml, d, situation="sans_solution", found_on=days_ago(15))
    chain.record_contact(ml, other, channel="telephone", made_on=days_ago(20), result="joint")
    chain.record_situation(ml, e, situation="sans_solution", found_on=days_ago(15))
    chain.record_situation(ml, e, situation="en_emploi", found_on=days_ago(12))  # the latest wins
    late = chain.record_solution(
        ml, f, solution_type="formation_continue", started_on=days_ago(200), label="GRETA"
    )
    chain.record_follow_up(
        ml, FollowUp.objects.get(solution=late, month=6), done_on=days_ago(10), outcome="autre_solution"
    )
    return found, other


def test_cells_read_by_ranges_of_young_people_equal_those_read_at_once(interleaved, monkeypatch):
    found, other = interleaved
    campaign = Campaign.objects.get(code=CAMPAIGN)
    # Three ranges of three ids, the other campaign's young person inside the second one.
    ranges = list(indicators.person_ranges(campaign, 3))
    pks = [p.pk for p in found]
    assert ranges == [(pks[0], pks[2]), (pks[3], pks[5]), (pks[6], pks[7])]
    assert ranges[1][0] < other.pk < ranges[1][1]

    at_once = source.campaign_cells(campaign, chunk=100)
    totals = {(k[3], k[6]): n for k, n in at_once.items() if k[1] == 0 and k[2] == "ensemble"}
    assert totals[("", "")] == 8
    assert totals[("obligation_formation", source.MINOR)] == 2
    # b by an attempt; d, e and f by a situation (f's follow-up « autre solution » records one); not the other's
    assert totals[("contact", "joints")] == 4
    assert totals[("contact", "injoignables")] == 1 and totals[("suivi", "contactes")] == 2
    assert totals[("situation", "en_emploi")] == 1 and totals[("situation", "sans_solution")] == 1
    assert totals[("situation", "autre_solution")] == 1
    assert totals[("solution", "apprentissage")] == 1 and totals[("solution", "formation_continue")] == 1
    assert totals[("suivi", "en_solution_3_mois")] == 1 and totals[("suivi", "en_solution_6_mois")] == 1
    for chunk in (1, 2, 3, 7):
        assert source.campaign_cells(campaign, chunk=chunk) == at_once, chunk

    # The chain's incremental rollups equal a rebuild whose recomputation reads ranges of three.
    incremental = snapshot()
    monkeypatch.setattr(indicators, "CHUNK", 3)
    assert incremental == rebuilt()


def test_a_range_of_an_invalid_size_is_refused(people):
    with pytest.raises(ValueError, match="taille de tranche"):
        next(indicators.person_ranges(Campaign.objects.get(code=CAMPAIGN), 0))
