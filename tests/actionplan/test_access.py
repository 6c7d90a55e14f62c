"""Every role × every right over the Breton plan and bodies, and the pages that enforce them.

Written out literally (docs/gouvernance-plan.md, « Rôles et droits »), never computed from the code it checks.
Letters: r = reads the working plan and its versions, e = edits it (records and publishes versions), a = approves
a version (for the party in APPROVES), b = reads the bodies (sessions, documents, decisions, follow-ups),
B = records them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from spro.actionplan import access, bodies, plans
from spro.actionplan.models import Approval, Decision, Session

from .conftest import ROLES

EXPECTED: dict[str, str] = {
    "anonymous": "",
    "nobody": "",
    "conseiller": "",
    "admin_structure": "",
    "tete_de_reseau": "",
    "pilote_region": "r e b B",
    "pilote_region_normandie": "",  # another région
    "pilote_region_29": "",  # a département scope gives no région-wide right
    "pilote_etat": "r a b B",
    "pilote_etat_national": "r a b B",
    "pilote_etat_29": "",
    "partenaire_social": "r a b",
    "partenaire_social_2": "r a b",
    "partenaire_normandie": "",
    "membre_crefop": "b",
    "membre_crefop_normandie": "",
    "platform_admin": "r b",  # reads everything, represents no party, records nothing
}
NORMANDY = {"pilote_region_normandie", "partenaire_normandie", "membre_crefop_normandie"}
APPROVES = {
    "pilote_etat": ["État"],
    "pilote_etat_national": ["État"],
    "partenaire_social": ["CFDT Bretagne"],
    "partenaire_social_2": ["MEDEF Bretagne"],
}


def rights(role: str) -> set[str]:
    return set(EXPECTED[role].split())


def test_every_role_is_written_out():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_exactly_its_rights(world, role):
    user, plan, expected = world["users"][role], world["plan"], rights(role)
    assert access.can_read_plan(user, plan) is ("r" in expected)
    assert access.can_edit_plan(user, plan) is ("e" in expected)
    assert access.can_create_plan(user, world["bzh"]) is ("e" in expected)
    assert [p.label for p in access.approval_parties(user, plan)] == APPROVES.get(role, [])
    assert access.can_approve(user, plan) is ("a" in expected)
    assert access.can_read_bodies(user, world["bzh"]) is ("b" in expected)
    assert access.can_edit_bodies(user, world["bzh"]) is ("B" in expected)
    assert list(access.visible_plans(user)) == ([plan] if "r" in expected else [])
    assert set(access.visible_bodies(user)) == (
        {world["crefop"], world["commission"]} if "b" in expected else set()
    )


@pytest.mark.parametrize(
    "role", ["pilote_region_normandie", "partenaire_normandie", "membre_crefop_normandie"]
)
def test_normandy_roles_hold_their_rights_in_normandy_only(world, role):
    user = world["users"][role]
    assert access.can_read_bodies(user, world["nor"])
    assert not access.can_read_bodies(user, world["bzh"])
    assert access.can_edit_plan(user, type(world["plan"])(region=world["nor"])) is (
        role == "pilote_region_normandie"
    )


@pytest.fixture
def recorded(world, tmp_path, settings):
    """A version (approved by nobody yet), a session with a document and a decision."""
    settings.MEDIA_ROOT = str(tmp_path)
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"])
    session = bodies.create_session(
        world["crefop"], users["pilote_region"], timezone.now(), "Rennes", ["Plan d’action partagé"]
    )
    document = bodies.add_document(
        session,
        users["pilote_region"],
        SimpleUploadedFile("odj.txt", b"Ordre du jour"),
        "ordre_du_jour",
        "ODJ",
    )
    decision = bodies.add_decision(session, users["pilote_region"], "Adopter le plan")
    bodies.add_follow_up(
        decision, users["pilote_region"], world["plan"], "Diffuser le plan", "Région", dt.date(2027, 6, 1)
    )
    return {"version": version, "session": session, "document": document, "decision": decision}


def _login(client, world, role):
    user = world["users"][role]
    if role != "anonymous":
        client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_pages_enforce_the_matrix(world, recorded, client, role):
    _login(client, world, role)
    expected = rights(role)
    plan, version = world["plan"], recorded["version"]
    if role == "anonymous":
        for path in (
            f"/pro/plan-action/{plan.pk}",
            f"/pro/plan-action/versions/{version.pk}",
            "/pro/instances",
        ):
            response = client.get(path)
            assert response.status_code == 302 and "/pro/connexion" in response["Location"]
        return
    read = 200 if "r" in expected else 404
    assert client.get("/pro/plan-action").status_code == 200
    assert client.get(f"/pro/plan-action/{plan.pk}").status_code == read
    assert client.get(f"/pro/plan-action/versions/{version.pk}").status_code == read
    assert client.get(f"/pro/plan-action/versions/{version.pk}/annexe.odt").status_code == read
    assert client.get(f"/pro/plan-action/versions/{version.pk}/actions.csv").status_code == read
    edit = 200 if "e" in expected else (403 if "r" in expected else 404)
    assert client.get(f"/pro/plan-action/{plan.pk}/axe/ajouter/{plan.pk}").status_code == edit
    recorded_now = client.post(f"/pro/plan-action/{plan.pk}/versions", {"note": ""})
    assert recorded_now.status_code == (302 if "e" in expected else edit)
    approve = 302 if "a" in expected else (403 if "r" in expected else 404)
    party = (
        f"{access.approval_parties(world['users'][role], plan)[0].kind}:{APPROVES[role][0]}"
        if "a" in expected
        else "etat:État"
    )
    response = client.post(f"/pro/plan-action/versions/{version.pk}/approuver", {"party": party})
    assert response.status_code == approve
    assert Approval.objects.filter(version=version).count() == (1 if "a" in expected else 0)
    publish = client.post(f"/pro/plan-action/versions/{version.pk}/publier")
    assert publish.status_code == (302 if "e" in expected else (403 if "r" in expected else 404))


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous"}))
def test_the_body_pages_enforce_the_matrix(world, recorded, client, role):
    _login(client, world, role)
    expected = rights(role)
    session, document = recorded["session"], recorded["document"]
    read = 200 if "b" in expected else 404
    edit = 302 if "B" in expected else (403 if "b" in expected else 404)
    assert client.get("/pro/instances").status_code == 200
    assert client.get(f"/pro/instances/{world['crefop'].pk}").status_code == read
    assert client.get(f"/pro/instances/seances/{session.pk}").status_code == read
    download = client.get(f"/pro/instances/documents/{document.pk}")
    assert download.status_code == read
    if read == 200:
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == b"Ordre du jour"
    # « Suivi des décisions », like the lists of plans and bodies, opens to every account with the follow-ups of
    # the bodies it reads only (none for most roles, Normandy's for Normandy's roles).
    follow_page = client.get("/pro/suivi-decisions")
    assert follow_page.status_code == 200
    assert ("Diffuser le plan" in follow_page.content.decode()) is ("b" in expected)
    response = client.post(
        f"/pro/instances/seances/{session.pk}/decisions", {"decision-text": "Une décision de plus"}
    )
    assert response.status_code == edit
    assert Decision.objects.filter(session=session).count() == (2 if "B" in expected else 1)
    follow_up = recorded["decision"].follow_ups.get()
    status = client.post(f"/pro/suivi-decisions/{follow_up.pk}", {"status": "fait"})
    assert status.status_code == edit
    created = client.post(
        f"/pro/instances/{world['crefop'].pk}", {"day": "2027-03-12", "time": "14:00", "place": "Rennes"}
    )
    assert created.status_code == edit
    assert Session.objects.count() == (2 if "B" in expected else 1)


def test_the_published_plan_is_public_and_only_once_published(world, recorded, client):
    users = world["users"]
    version = recorded["version"]
    assert client.get("/plan-action/53").status_code == 404
    assert client.get("/plan-action/53/annexe.pdf").status_code == 404
    plans.approve(version, users["pilote_etat"], access.STATE)
    plans.publish(version, users["pilote_region"])
    page = client.get("/plan-action/53")
    assert page.status_code == 200
    assert "Informer sur les métiers et les formations" in page.content.decode()
    pdf = client.get("/plan-action/53/annexe.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get("/plan-action/53/plan.json").json()["version"] == version.number
    assert client.get("/plan-action/53/autre.exe").status_code == 404
    assert client.get("/plan-action/28").status_code == 404  # no plan published in Normandie
