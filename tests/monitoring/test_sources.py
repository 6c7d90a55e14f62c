"""The indicators of issue 19 § 1 and § 4 computed from their sources (spro/monitoring/sources/): first answers,
accompaniments and CEP outcomes, satisfaction (a rate) and the follow-up at 3 and 6 months. Each follows its source's
writes in the source's transaction, and equals a rebuild; small counts and rates are hidden as query.py says."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from spro.accompaniment import services as accompaniment_services
from spro.answer import stats
from spro.answer.models import AnswerStat
from spro.feedback import followup, satisfaction
from spro.feedback.models import FollowUpConsent, OutcomeAnswer, SatisfactionAnswer
from spro.monitoring import query, rollups
from spro.monitoring.models import Rollup
from spro.monitoring.query import Scope
from spro.monitoring.sources import cells
from tests.answer.test_stats import make_answer

from .test_rollups import make_referral, snapshot

pytestmark = pytest.mark.django_db

PILOT = Scope(None, False)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_FEEDBACK_RATE_LIMIT = ""
    settings.SPRO_SITE_URL = "https://orientation.example.org"


def this_month() -> query.Period:
    return query.period(None, None, today=timezone.localdate())


def of(indicator: str) -> dict:
    return {k: v for k, v in snapshot().items() if k[0] == indicator}


def whole(indicator: str) -> dict:
    """The every-structure, whole-territory cells of `indicator`, summed over the months: (dimension, value) → n."""
    result: dict = {}
    for k, v in of(indicator).items():
        if k[1] == 0 and k[2] == "ensemble":
            result[(k[3], k[6])] = result.get((k[3], k[6]), 0) + v
    return result


def rebuilt_equals_incremental(*indicators: str) -> None:
    incremental = {code: of(code) for code in indicators}
    assert all(v > 0 for cells in incremental.values() for v in cells.values())
    Rollup.objects.all().delete()
    call_command("indicateurs", "reconstruire", indicateur=list(indicators))
    assert {code: of(code) for code in indicators} == incremental


# --- premieres-reponses -------------------------------------------------------------------------------------------


def test_first_answers_count_by_need_age_statut_interface_and_departement_and_equal_a_rebuild(network):
    stats.record(make_answer(17, "lyceen", "35238", ["retour-formation", "choisir-formation"]), "page")
    stats.record(make_answer(30, "salarie", "29232", ["evolution-professionnelle"]), "api")
    stats.record(make_answer(besoins=["retour-formation"]), "page")  # no commune: « non renseigné »
    cells = whole("premieres-reponses")
    assert cells[("", "")] == 3
    assert cells[("besoin", "retour-formation")] == 2
    assert cells[("interface", "page")] == 2 and cells[("interface", "api")] == 1
    assert cells[("tranche_age", "16-17")] == 1 and cells[("statut", "non-renseigne")] == 1
    month = rollups.month_of(timezone.localdate())
    regions = of("premieres-reponses")
    assert regions[("premieres-reponses", 0, "departement", "", month.isoformat(), "35", "")] == 1
    assert regions[("premieres-reponses", 0, "region", "", month.isoformat(), "53", "")] == 2
    assert regions[("premieres-reponses", 0, "departement", "", month.isoformat(), "", "")] == 1
    assert not [k for k in regions if k[1] != 0]  # an answer is no structure's
    assert {k[2] for k in regions} == {"ensemble", "departement", "region"}  # no commune is kept
    rebuilt_equals_incremental("premieres-reponses")


def test_a_failed_rollup_write_rolls_the_answer_row_back(network, monkeypatch):
    def fail(_cells):
        raise RuntimeError("agrégats indisponibles")

    monkeypatch.setattr(cells, "write", fail)
    with pytest.raises(RuntimeError):
        stats.record(make_answer(besoins=["vae"]), "page")
    assert not AnswerStat.objects.exists()


def test_the_answer_signal_is_sent_in_the_row_transaction(network):
    from django.db import connection

    from spro.answer.signals import answer_recorded

    seen = []

    def listener(sender, stat, **_kwargs):
        seen.append((stat.pk, connection.in_atomic_block))

    answer_recorded.connect(listener)
    try:
        row = stats.record(make_answer(besoins=["vae"]), "api")
    finally:
        answer_recorded.disconnect(listener)
    assert seen == [(row.pk, True)]


# --- accompagnements ----------------------------------------------------------------------------------------------


def open_spot(network, structure="a", user="conseiller_a", **kwargs):
    return accompaniment_services.open_on_the_spot(
        network[structure],
        user=network["users"][user],
        person=accompaniment_services.Person("Karim", "courriel", "karim@example.org"),
        goal_label="Devenir technicien",
        consent=True,
        **kwargs,
    ).accompaniment


def test_accompaniments_move_between_outcomes_and_cep_values_and_equal_a_rebuild(network):
    conseiller = network["users"]["conseiller_a"]
    cep = open_spot(network, cep_level="niveau-1")
    accompaniment_services.set_cep(cep, user=conseiller, level="niveau-2", stage="analyse-situation")
    accompaniment_services.close(cep, user=conseiller, outcome="formation", cep_outcome="formation-engagee")
    plain = open_spot(network)
    received = accompaniment_services.hand_over(plain, network["b"], user=conseiller, consent=True)
    still_open = open_spot(network, cep_level="niveau-1")
    closed_without = open_spot(network, cep_level="niveau-2")
    accompaniment_services.close(closed_without, user=conseiller, outcome="sans-nouvelles")
    gone = open_spot(network)
    accompaniment_services.anonymise(gone, reason="parcours-supprime")  # closes it « fin demandée »

    assert received.origin == "relais" and still_open.is_open
    assert whole("accompagnements") == {
        ("", ""): 6,
        ("issue", "formation"): 1,
        ("issue", "relais"): 1,
        ("issue", "en-cours"): 2,
        ("issue", "sans-nouvelles"): 1,
        ("issue", "fin-demandee"): 1,
        ("origine", "sur-place"): 5,
        ("origine", "relais"): 1,
        ("niveau_cep", "niveau-2"): 2,
        ("niveau_cep", "niveau-1"): 1,
        ("niveau_cep", "hors-cep"): 3,
        ("issue_cep", "formation-engagee"): 1,
        ("issue_cep", "en-cours"): 1,
        ("issue_cep", "non-renseignee"): 1,
    }
    cells = of("accompagnements")
    # The structure's own rows (at its département, Finistère) and the received one at b's (Ille-et-Vilaine).
    assert any(k[1] == network["a"].pk and k[2] == "departement" and k[5] == "29" for k in cells)
    assert [v for k, v in cells.items() if k[1] == network["b"].pk and k[2] == "ensemble" and k[3] == ""] == [
        1
    ]
    # niveau-1 → niveau-2 left no empty cell behind (a rebuild would not write it).
    rebuilt_equals_incremental("accompagnements")


def test_accompaniments_are_read_per_structure_and_small_counts_hidden(network):
    for _ in range(6):
        open_spot(network)
    open_spot(network, structure="b", user="conseiller_b")
    table = query.run("accompagnements", PILOT, breakdown="issue", level="departement", months=this_month())
    assert {line.code: line.total for line in table.lines} == {"29": 6, "35": "< 5"}
    own = query.run("accompagnements", Scope((network["b"].pk,), False), months=this_month())
    assert own.total == "< 5"
    own_a = query.run(
        "accompagnements", Scope((network["a"].pk,), False), breakdown="niveau_cep", months=this_month()
    )
    assert own_a.lines[0].cells == {"hors-cep": 6} and own_a.columns == [("hors-cep", "Hors CEP")]


# --- satisfaction ---------------------------------------------------------------------------------------------------


def answer_satisfaction(
    score: int, service: str = "orientation", reasons=(), **context
) -> SatisfactionAnswer:
    key = satisfaction.new_form_key(satisfaction.FormContext(service=service, **context))
    return satisfaction.record(key, score, list(reasons))


def test_satisfaction_rollups_hold_the_answers_and_the_satisfied_ones_and_equal_a_rebuild(network):
    for score in (5, 4, 4, 2, 1):
        answer_satisfaction(
            score, departement="29", typologie="ML", reseau="UNML", reasons=["clair", "utile"]
        )
    answer_satisfaction(3, service="reponse", departement="35", reasons=["pas-clair"])
    answer_satisfaction(5, service="reponse")  # no département
    cells = whole("satisfaction")
    assert cells[("", "")] == 7
    assert cells[("note", "4")] == 2 and cells[("note", "3")] == 1
    assert cells[("raison", "clair")] == 5 and cells[("raison", "pas-clair")] == 1
    assert cells[("type_structure", "ML")] == 5 and cells[("type_structure", "non-renseigne")] == 2
    assert whole("satisfaction:numerateur") == {
        ("", ""): 4,
        ("service", "orientation"): 3,
        ("service", "reponse"): 1,
        ("type_structure", "ML"): 3,
        ("type_structure", "non-renseigne"): 1,
        ("reseau", "UNML"): 3,
        ("reseau", "non-renseigne"): 1,
    }
    rebuilt_equals_incremental("satisfaction")
    assert whole("satisfaction:numerateur")[("", "")] == 4  # rebuilt too, from the scores


def test_rebuilding_satisfaction_twice_replaces_its_numerator(network):
    for score in (5, 4):
        answer_satisfaction(score)
    call_command("indicateurs", "reconstruire", indicateur=["satisfaction"])
    call_command("indicateurs", "reconstruire", indicateur=["satisfaction"])
    assert whole("satisfaction:numerateur")[("", "")] == 2


def test_the_satisfaction_rate_is_shown_only_when_numerator_and_denominator_are_not_small(network):
    # Orientation: 8 answers, 6 satisfied → 75 %. Réponse: 6 answers, 2 satisfied → hidden (2 people).
    for score in (5, 5, 4, 4, 4, 4, 2, 1):
        answer_satisfaction(score, departement="29")
    for score in (5, 4, 3, 3, 2, 1):
        answer_satisfaction(score, service="reponse", departement="29")
    months = this_month()
    table = query.run("satisfaction", PILOT, breakdown="service", months=months)
    (line,) = table.lines
    assert line.cells == {"reponse": "< 5", "orientation": "75 %"}
    assert line.total == "57 %" and table.total == "57 %"  # 8 of 14
    # The distribution of the scores is read as counts, with the usual suppression.
    notes = query.run("satisfaction", PILOT, breakdown="note", months=months)
    assert notes.lines[0].cells["4"] == 5 and notes.lines[0].total == 14
    assert "< 5" in notes.lines[0].cells.values()
    by_departement = query.run("satisfaction", PILOT, level="departement", months=months)
    assert [(line.code, line.total) for line in by_departement.lines] == [("29", "57 %")]
    assert query.rate(0, 7) == "0 %" and query.rate(3, 9) == "< 5" and query.rate(9, 4) == "< 5"
    assert query.rate(0, 0) == ""


def test_the_api_gives_the_satisfaction_rate(client, network):
    for score in (5, 5, 4, 4, 4, 3, 2):
        answer_satisfaction(score, departement="29")
    month = f"{timezone.localdate():%Y-%m}"
    body = client.get(
        "/api/v1/indicateurs/satisfaction", {"ventilation": "service", "debut": month, "fin": month}
    ).json()
    assert body["indicateur"]["mesure"] == "taux"
    assert body["lignes"][0]["valeurs"] == {"orientation": "71 %"} and body["total"] == "71 %"
    raisons = client.get("/api/v1/indicateurs/satisfaction", {"ventilation": "raison"}).json()
    assert raisons["lignes"][0]["valeurs"] == {}  # no reason ticked: nothing to show
    bad = client.get("/api/v1/indicateurs/satisfaction", {"ventilation": "canal"})
    assert bad.status_code == 400 and "n’est pas permise" in bad.json()["detail"]


# --- suivi-3-6-mois -----------------------------------------------------------------------------------------------


def answer_follow_up(network, months: int, choice: str) -> OutcomeAnswer | None:
    referral = make_referral(network, commune=network["29232"])
    followup.give_consent(referral)
    consent = FollowUpConsent.objects.get(referral=referral)
    return followup.answer(followup.link_key(consent, months), choice)


def test_follow_up_answers_count_by_delay_and_situation_and_equal_a_rebuild(network):
    for months, choice in ((3, "formation"), (3, "emploi"), (6, "emploi"), (6, "recherche")):
        answer_follow_up(network, months, choice)
    assert answer_follow_up(network, 3, "ne-plus-contacter") is None  # withdraws, not counted
    cells = whole("suivi-3-6-mois")
    assert cells == {
        ("", ""): 4,
        ("delai_suivi", "3"): 2,
        ("delai_suivi", "6"): 2,
        ("situation", "formation"): 1,
        ("situation", "emploi"): 2,
        ("situation", "recherche"): 1,
        ("situation_3_mois", "formation"): 1,
        ("situation_3_mois", "emploi"): 1,
        ("situation_6_mois", "emploi"): 1,
        ("situation_6_mois", "recherche"): 1,
        ("type_structure", "ML"): 4,
        ("reseau", "non-renseigne"): 4,
    }
    month = rollups.month_of(timezone.localdate()).isoformat()
    assert of("suivi-3-6-mois")[("suivi-3-6-mois", 0, "departement", "", month, "29", "")] == 4
    table = query.run("suivi-3-6-mois", PILOT, breakdown="situation_6_mois", months=this_month())
    assert table.lines[0].cells == {"emploi": "< 5", "recherche": "< 5"} and table.lines[0].total == "< 5"
    rebuilt_equals_incremental("suivi-3-6-mois")


def test_rollups_of_answers_name_no_person_nor_referral(network):
    answer_follow_up(network, 3, "emploi")
    answer_satisfaction(4, departement="29")
    for row in Rollup.objects.filter(indicator__in=["suivi-3-6-mois", "satisfaction"]):
        assert row.structure_id == 0  # no structure's own row either: the answer does not name one


def test_the_open_data_of_satisfaction_gives_rates_and_counts(network):
    from spro.monitoring import exports

    for score in (5, 5, 4, 4, 4, 4, 2, 1):
        answer_satisfaction(score, departement="29", reasons=["clair"])
    rows = exports.open_data_rows("satisfaction")
    month = f"{timezone.localdate():%Y-%m}"
    assert ["satisfaction", month, "ensemble", "", "", "", "", "", "75 %"] in rows  # the rate, whole
    assert ["satisfaction", month, "ensemble", "", "", "raison", "clair", "C’était clair", 8] in rows
    assert [
        "satisfaction",
        month,
        "ensemble",
        "",
        "",
        "service",
        "orientation",
        "Mise en relation avec une structure",
        "75 %",
    ] in rows
