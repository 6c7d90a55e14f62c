"""Who reads a shared pathway: a member of the shared structure, through an open, unexpired share; never another
structure, a territorial role, the platform admin who is not a member, or an anonymous visitor. Every
professional read writes one audit record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from spro.audit.models import AuditEvent
from spro.pathways import access, services
from spro.pathways.models import Action, Objective, PathwayShare

from .conftest import make_user


@pytest.fixture
def pilot(db):
    from spro.accounts.models import Scope
    from spro.referentials.geo.models import Region

    user = make_user("pilote")
    Scope.objects.create(
        user=user, role="pilote_region", region=Region.objects.create(code="53", nom="Bretagne")
    )
    return user


@pytest.fixture
def admin(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("admin", "admin@example.org", "x" * 16)


def detail(pathway):
    return f"/pro/parcours/{pathway.public_id}"


def test_rules(pathway, structure, conseiller, other_conseiller, pilot, admin, shared):
    assert access.can_read(conseiller, pathway)
    assert access.can_read(conseiller, pathway, structure)
    assert not access.can_read(other_conseiller, pathway)
    assert not access.can_read(other_conseiller, pathway, structure)
    assert not access.can_read(pilot, pathway)
    assert not access.can_read(admin, pathway)
    assert not access.can_read(AnonymousUser(), pathway)
    assert not access.can_read(None, pathway)
    assert list(access.readable_pathways(conseiller)) == [pathway]
    assert not access.readable_pathways(other_conseiller).exists()
    assert not access.readable_pathways(pilot).exists()


def test_an_admin_of_the_structure_reads_too(pathway, structure, shared):
    assert access.can_read(make_user("chef", structure, role="admin_structure"), pathway)


def test_inactive_member_reads_nothing(pathway, conseiller, shared):
    conseiller.is_active = False
    conseiller.save()
    assert not access.can_read(conseiller, pathway)


def test_withdrawn_or_expired_share_closes_access(pathway, structure, conseiller, shared):
    services.withdraw_share(shared)
    assert not access.can_read(conseiller, pathway)
    again = services.share(pathway, structure, days=30)
    assert access.can_read(conseiller, pathway)
    PathwayShare.objects.filter(pk=again.pk).update(
        given_at=timezone.now() - dt.timedelta(days=40), expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not access.can_read(conseiller, pathway)


def test_detail_page_for_the_shared_structure_is_audited_once(client, pathway, structure, conseiller, shared):
    client.force_login(conseiller)
    response = client.get(detail(pathway))
    assert response.status_code == 200
    html = response.content.decode()
    assert pathway.goal_label in html and "Trouver une formation" in html
    events = AuditEvent.objects.filter(action="pathway.view")
    assert events.count() == 1
    event = events.get()
    assert (event.user, event.structure, event.object_id) == (conseiller, structure, str(pathway.pk))
    client.get(detail(pathway))
    assert AuditEvent.objects.filter(action="pathway.view").count() == 2


@pytest.mark.parametrize("who", ["other", "pilot", "admin"])
def test_detail_page_is_404_for_everyone_else(client, pathway, shared, other_conseiller, pilot, admin, who):
    client.force_login({"other": other_conseiller, "pilot": pilot, "admin": admin}[who])
    assert client.get(detail(pathway)).status_code == 404
    assert (
        client.post(
            detail(pathway) + "/proposer", {"quoi": "etape", "axe": "emploi", "libelle": "Intrus"}
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="pathway.view").exists()
    assert not Objective.objects.filter(label="Intrus").exists()


def test_anonymous_is_sent_to_login(client, pathway, shared):
    response = client.get(detail(pathway))
    assert response.status_code == 302 and response["Location"].startswith("/pro/connexion")
    assert client.get("/pro/parcours").status_code == 302


def test_after_withdrawal_the_page_is_404(client, pathway, conseiller, shared):
    client.force_login(conseiller)
    services.withdraw_share(shared)
    assert client.get(detail(pathway)).status_code == 404
    assert client.get("/pro/parcours/pas-un-uuid").status_code == 404


def test_only_shared_parts_are_shown(client, pathway, structure, conseiller):
    objective = Objective.objects.get(focus__pathway=pathway)
    services.add_action(objective, services.PERSON, label="Action privée")
    services.share(pathway, structure, parts=["rendez-vous"], days=30)
    client.force_login(conseiller)
    html = client.get(detail(pathway)).content.decode()
    assert "Action privée" not in html and "Trouver une formation" not in html
    assert 'id="form-proposer-etape"' not in html and 'id="form-proposer-rdv"' in html


def test_list_shows_the_shared_pathways_only(client, pathway, conseiller, other_conseiller, shared):
    client.force_login(conseiller)
    assert str(pathway.public_id) in client.get("/pro/parcours").content.decode()
    client.force_login(other_conseiller)
    assert str(pathway.public_id) not in client.get("/pro/parcours").content.decode()


def test_the_list_never_shows_what_the_person_wrote(client, structure, conseiller):
    projet, _ = services.create_from_scratch(
        goal_kind="projet", goal_label="Quitter mon conjoint et me loger"
    )
    services.share(projet, structure, days=30)
    client.force_login(conseiller)
    html = client.get("/pro/parcours").content.decode()
    assert str(projet.public_id) in html and "Quitter mon conjoint" not in html and "Un projet" in html
    assert not AuditEvent.objects.exists()


def test_propose_through_the_page(client, pathway, structure, conseiller, shared):
    client.force_login(conseiller)
    url = detail(pathway) + "/proposer"
    objective = Objective.objects.get(focus__pathway=pathway)
    assert client.post(url, {"quoi": "etape", "etape": "preparer-candidature"}).status_code == 303
    assert (
        client.post(
            url, {"quoi": "action", "etape_id": objective.pk, "libelle": "Appeler l’AFPA"}
        ).status_code
        == 303
    )
    sent = client.post(
        url,
        {
            "quoi": "rendez-vous",
            "etape_id": objective.pk,
            "libelle": "Entretien",
            "rdv_jour": "2027-03-01",
            "rdv_heure": "10:00",
            "rdv_modalite": "visio",
        },
    )
    assert sent.status_code == 303
    assert Objective.objects.filter(proposal_state="proposed", proposed_by_user=conseiller).count() == 1
    rdv = Action.objects.get(label="Entretien")
    assert (
        rdv.proposal_state == "proposed" and rdv.structure == structure and rdv.appointment_channel == "visio"
    )
    # forged: no date for an appointment, a step of nowhere, an unknown kind → a message, nothing written
    before = Action.objects.count()
    for data in (
        {"quoi": "rendez-vous", "etape_id": objective.pk, "libelle": "X"},
        {"quoi": "action", "etape_id": 999999, "libelle": "X"},
        {"quoi": "pirate"},
    ):
        response = client.post(url, data, follow=True)
        assert "Proposition non envoyée" in response.content.decode()
    assert Action.objects.count() == before


def test_the_conseillers_list_is_paginated_newest_first(client, structure, conseiller):
    from spro.pathways.pro_views import PER_PAGE

    ids = []
    for n in range(PER_PAGE + 1):
        pathway, _token = services.create_pathway(
            goal_kind="metier", goal_label=f"Métier {n}", goal_code="M1805", origin="direct"
        )
        services.share(pathway, structure)
        ids.append(str(pathway.public_id))
    client.force_login(conseiller)
    first = client.get("/pro/parcours").content.decode()
    second = client.get("/pro/parcours", {"page": 2}).content.decode()
    assert sum(i in first for i in ids) == PER_PAGE and ids[-1] in first
    assert [i for i in ids if i in second] == [ids[0]]
    assert "Page 1 sur 2" in first and 'href="?page=2"' in first
