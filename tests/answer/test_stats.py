"""Anonymous answer statistics: coarse rows, constraints, counts, and who sees which départements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from spro.accounts.models import TerritorialRole
from spro.answer import stats
from spro.answer.models import AnswerStat
from spro.answer.types import Analysis, Answer, BesoinScore, Orientation, Profile
from tests.accounts.factories import MembershipFactory, ScopeFactory, UserFactory, geography

pytestmark = pytest.mark.django_db


def make_answer(age=None, statut=None, commune=None, besoins=(), typologies=()) -> Answer:
    analysis = Analysis(
        besoins=[BesoinScore(code, 0.9 - i / 10) for i, code in enumerate(besoins)],
        metiers=[],
        profile=Profile(age=age, statut=statut, commune=commune),
    )
    orientations = [Orientation(t, "raison", "regle", 1.0) for t in typologies]
    return Answer(analysis=analysis, orientations=orientations, etapes=[], ressources=[])


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "non-renseigne"),
        (12, "moins-16"),
        (16, "16-17"),
        (18, "18-25"),
        (25, "18-25"),
        (26, "26-44"),
        (45, "45-54"),
        (55, "55-plus"),
        (99, "55-plus"),
    ],
)
def test_age_bands_are_those_of_the_first_contact_log(age, band):
    assert stats.age_band(age) == band


def test_a_row_keeps_only_categories_and_the_top_three():
    geo = geography()
    row = stats.record(
        make_answer(
            age=17,
            statut="lyceen",
            commune=geo["35238"].code_insee,
            besoins=["retour-formation", "choisir-formation", "decouvrir-metiers", "alternance"],
            typologies=["CIO", "ML", "PSAD", "PIJ_BIJ"],
        ),
        "page",
    )
    row.refresh_from_db()
    assert (row.age_band, row.statut, row.departement_id, row.channel) == ("16-17", "lyceen", "35", "page")
    assert row.besoins == ["retour-formation", "choisir-formation", "decouvrir-metiers"]
    assert row.typologies == ["CIO", "ML", "PSAD"]
    assert row.date == dt.date.today() or abs((row.date - dt.date.today()).days) <= 1


def test_without_profile_the_row_says_not_given():
    row = stats.record(make_answer(besoins=["vae"]), "api")
    assert (row.age_band, row.statut, row.departement_id) == ("non-renseigne", "non-renseigne", None)


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValueError):
        stats.record(make_answer(), "cli")


@pytest.mark.parametrize(("field", "value"), [("channel", "cli"), ("age_band", "17"), ("statut", "retraite")])
def test_the_database_refuses_values_outside_the_vocabularies(field, value):
    fields = {"channel": "page", "age_band": "16-17", "statut": "lyceen", field: value}
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerStat.objects.create(**fields)


def test_summary_counts_by_need_typology_age_and_statut_over_period_and_departements():
    geo = geography()
    stats.record(
        make_answer(17, "lyceen", "35238", ["retour-formation", "choisir-formation"], ["CIO", "ML"]), "page"
    )
    stats.record(
        make_answer(30, "salarie", "29232", ["evolution-professionnelle"], ["TRANSITIONS_PRO", "CEP"]), "api"
    )
    stats.record(make_answer(40, None, "14118", ["recherche-emploi"], ["FT"]), "page")
    old = stats.record(make_answer(20, "etudiant", None, ["vae"], ["DAVA"]), "page")
    AnswerStat.objects.filter(pk=old.pk).update(date=dt.date(2020, 1, 1))
    assert geo["d14"]

    everything = stats.summary()
    assert everything["total"] == 4
    brittany = stats.summary(departements=["29", "35"])
    assert brittany["total"] == 2
    counts = {code: n for code, _label, n in brittany["besoins"]}
    assert counts["retour-formation"] == 1 and counts["evolution-professionnelle"] == 1 and counts["vae"] == 0
    assert {code for code, _l, _n in brittany["typologies"]} == {"CIO", "ML", "TRANSITIONS_PRO", "CEP"}
    assert dict((c, n) for c, _l, n in brittany["tranches_age"])["16-17"] == 1
    assert dict((c, n) for c, _l, n in brittany["canaux"]) == {"page": 1, "api": 1}
    recent = stats.summary(start=dt.date(2021, 1, 1))
    assert recent["total"] == 3
    assert stats.summary(end=dt.date(2020, 12, 31))["total"] == 1


def test_who_sees_which_departements():
    geo = geography()
    region_pilot = ScopeFactory(role=TerritorialRole.PILOTE_REGION, region=geo["bzh"]).user
    dept_pilot = ScopeFactory(role=TerritorialRole.PILOTE_ETAT, departement=geo["d29"]).user
    national = ScopeFactory(role=TerritorialRole.PILOTE_ETAT).user
    conseiller = MembershipFactory().user
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert stats.departements_for(region_pilot) == ["29", "35"]
    assert stats.departements_for(dept_pilot) == ["29"]
    assert stats.departements_for(national) is None
    assert stats.departements_for(admin) is None
    assert stats.departements_for(conseiller) == []


def test_the_statistics_page_shows_the_pilots_counts_and_refuses_others(client):
    geo = geography()
    stats.record(make_answer(17, "lyceen", "35238", ["retour-formation"], ["CIO"]), "page")
    stats.record(make_answer(40, None, "14118", ["recherche-emploi"], ["FT"]), "page")
    pilot = ScopeFactory(
        role=TerritorialRole.PILOTE_REGION, region=geo["bzh"], user__email="pilote@example.org"
    ).user
    conseiller = MembershipFactory(user__email="conseiller@example.org").user

    assert client.get("/pro/reponses").status_code == 302  # login first
    client.force_login(conseiller)
    assert client.get("/pro/reponses").status_code == 403
    client.logout()
    client.force_login(pilot)
    response = client.get("/pro/reponses")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="total">1</strong>' in html
    assert 'id="stat-besoins"' in html and 'id="stat-typologies"' in html
    assert client.get("/pro/reponses?du=hier").status_code == 400


def test_the_contacts_statistics_page_links_pilots_to_the_online_answers(client):
    geo = geography()
    pilot = ScopeFactory(
        role=TerritorialRole.PILOTE_REGION, region=geo["bzh"], user__email="p2@example.org"
    ).user
    client.force_login(pilot)
    html = client.get("/pro/contacts/statistiques").content.decode()
    assert 'href="/pro/reponses"' in html


def test_a_governance_role_elsewhere_adds_no_departement():
    """A Bretagne pilot who is also a social partner of Normandie counts Bretagne only: governance roles count
    nothing (accounts.permissions.counting_scopes)."""
    from spro.referentials.geo.models import Departement, Region

    geo = geography()
    normandie, _ = Region.objects.get_or_create(code="28", defaults={"nom": "Normandie", "zone": "metro"})
    Departement.objects.update_or_create(
        code="14", defaults={"nom": "Calvados", "region": normandie, "zone": "metro"}
    )
    pilot = ScopeFactory(role=TerritorialRole.PILOTE_REGION, region=geo["bzh"]).user
    ScopeFactory(user=pilot, role=TerritorialRole.PARTENAIRE_SOCIAL, region=normandie, organisation="CFDT")
    assert stats.departements_for(pilot) == ["29", "35"]
