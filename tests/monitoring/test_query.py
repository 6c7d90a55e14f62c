"""Reading an indicator: small counts hidden (« < 5 » and a second cell so the first cannot be recomputed), the
reader's scope, the previous period, and clear errors on parameters the indicator does not allow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.monitoring import query
from spro.monitoring.query import QueryError, Scope

from .conftest import add_contact

pytestmark = pytest.mark.django_db

MARCH = query.period("2026-03", "2026-03")


def test_a_small_cell_is_hidden_with_a_second_one_so_that_the_total_does_not_give_it_back(network):
    # Crafted: 7 by phone, 6 on site, 2 by chat (total 15). Publishing 7, 6 and 15 would give chat = 2.
    for channel, n in (("telephone", 7), ("sur-place", 6), ("chat", 2)):
        for _ in range(n):
            add_contact(network, channel=channel)
    result = query.run("premiers-contacts", Scope(None, False), breakdown="canal", months=MARCH)
    (line,) = result.lines
    assert line.cells == {"sur-place": "masqué", "telephone": 7, "chat": "< 5"}
    assert line.total == 15
    # Without a breakdown the total alone is shown.
    assert query.run("premiers-contacts", Scope(None, False), months=MARCH).total == 15


def test_territory_rows_hide_small_counts_and_the_grand_total_cannot_give_them_back(network):
    for _ in range(6):
        add_contact(network, commune=network["29232"])
    for _ in range(3):
        add_contact(network, commune=network["35238"])
    result = query.run("premiers-contacts", Scope(None, False), level="departement", months=MARCH)
    shown = {line.code: line.total for line in result.lines}
    assert shown == {"29": "masqué", "35": "< 5"}
    assert result.total == 9
    assert result.lines[0].label == "Finistère (29)"
    inside = query.run(
        "premiers-contacts",
        Scope(None, False),
        level="commune",
        territory=("departement", "29"),
        months=MARCH,
    )
    assert [(line.code, line.total) for line in inside.lines] == [("29232", 6)]


def test_a_structure_reads_its_own_contacts_only_and_pilots_read_every_structure(network):
    for _ in range(5):
        add_contact(network)
    for _ in range(8):
        add_contact(network, structure="b", user="conseiller_b")
    users = network["users"]
    assert query.run("premiers-contacts", Scope.of(users["conseiller_a"]), months=MARCH).total == 5
    assert query.run("premiers-contacts", Scope.of(users["conseiller_b"]), months=MARCH).total == 8
    assert query.run("premiers-contacts", Scope.of(users["pilote_region"]), months=MARCH).total == 13
    assert query.run("premiers-contacts", Scope.of(users["tete_ml_bzh"]), months=MARCH).total == 5
    assert query.run("premiers-contacts", Scope.of(AnonymousUser()), months=MARCH).total == 13


def test_anonymous_readers_see_only_public_indicators(network):
    anonymous = Scope.of(AnonymousUser())
    assert "decrochage-issues" not in {i.code for i in query.listed(anonymous)}
    with pytest.raises(LookupError):
        query.run("decrochage-issues", anonymous, months=MARCH)
    assert "decrochage-issues" in {i.code for i in query.listed(Scope.of(network["users"]["pilote_etat"]))}


def test_the_previous_period_of_the_same_length_is_given(network):
    for _ in range(6):
        add_contact(network, date=dt.date(2026, 1, 5))
    add_contact(network, date=dt.date(2026, 2, 5))
    result = query.run("premiers-contacts", Scope(None, False), months=query.period("2026-03", "2026-04"))
    assert result.previous_period == query.period("2026-01", "2026-02")
    assert result.previous_total == 7


def test_an_indicator_without_a_source_gives_no_figure(network, settings, tmp_path):
    # A Region's declaration of an indicator not computed yet (the packaged ones may all be computed).
    (tmp_path / "indicateurs").mkdir()
    (tmp_path / "indicateurs" / "sans-source.yaml").write_text(
        "code: sans-source\nlibelle: Sans source\ndefinition: Pas encore de source.\n"
        "source: {modele: rien, evenement: rien}\nmesure: nombre\nventilations: [canal]\n"
        "proprietaire: Région\ndisponible: false\nstatut: Pas de source.\n",
        encoding="utf-8",
    )
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    result = query.run("sans-source", Scope(None, False), breakdown="canal", months=MARCH)
    assert not result.indicator.disponible
    assert result.lines == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"breakdown": "issue"}, "ventilation : « issue » n’est pas permise"),
        ({"territory": ("departement", "99")}, "département « 99 » inconnu"),
        ({"level": "departement", "territory": ("commune", "29232")}, "on ne peut pas ventiler"),
    ],
)
def test_parameters_the_indicator_does_not_allow_are_refused(network, params, message):
    with pytest.raises(QueryError, match=message):
        query.run("premiers-contacts", Scope(None, False), months=MARCH, **params)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13", None, "debut : mois attendu"),
        ("2026-05", "2026-01", "premier mois est après"),
        ("2000-01", "2026-01", "trop longue"),
    ],
)
def test_bad_periods_are_refused(start, end, message):
    with pytest.raises(QueryError, match=message):
        query.period(start, end)


def test_a_structure_s_figures_are_read_by_departement_or_region_not_by_commune(network):
    for _ in range(5):
        add_contact(network, commune=network["29232"])
    scope = Scope.of(network["users"]["conseiller_a"])
    by_departement = query.run("premiers-contacts", scope, level="departement", months=MARCH)
    assert [(line.code, line.total) for line in by_departement.lines] == [("29", 5)]
    with pytest.raises(QueryError, match="département ou région"):
        query.run("premiers-contacts", scope, level="commune", months=MARCH)


def test_referrals_read_by_outcome_with_small_counts_hidden(network):
    from .test_rollups import make_referral

    for _ in range(6):
        make_referral(network, commune=network["29232"])
    months = query.period(None, None)
    result = query.run("orientations", Scope(None, False), breakdown="issue", months=months)
    (line,) = result.lines
    assert line.cells == {"nouvelle": 6} and line.total == 6
    delays = query.run(
        "orientations", Scope(None, False), breakdown="delai", level="departement", months=months
    )
    assert [(x.label, x.cells) for x in delays.lines] == [("Finistère (29)", {"sans-reponse": 6})]


def test_needs_that_happen_to_add_up_are_protected_too(network):
    for _ in range(6):
        add_contact(network, besoins=["alternance"])
    for _ in range(2):
        add_contact(network, besoins=["decouvrir-metiers"])
    result = query.run("premiers-contacts", Scope(None, False), breakdown="besoin", months=MARCH)
    (line,) = result.lines
    assert line.cells == {"alternance": "masqué", "decouvrir-metiers": "< 5"}
    assert line.total == 8
