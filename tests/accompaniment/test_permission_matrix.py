"""The permission matrix of the accompaniment (issue 16): every role × object (the shared pathway, the
accompaniment, its notes) × relation (own structure, other structure, territory), checked through the access
functions AND through the pages, with the expectations written out as data (the same table as in
docs/accompagnement.md), never computed from the code they check.

Structures (tests/accounts/factories.py): a = Mission locale at Quimper (29, Bretagne), b = CIO at Rennes (35,
Bretagne), c = Mission locale at Caen (14, Normandie). The accompaniment is structure a's, opened on the spot; its
pathway is shared with a. « relais » rows: the accompaniment was handed over from a to b, the person agreeing or not
that b reads a's notes; the objects are then a's accompaniment (the one handed over) and its notes, and b's new one.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.accompaniment import access, services
from spro.accounts.models import StructureRole
from spro.audit.models import AuditEvent
from spro.pathways import access as pathway_access
from spro.pathways import services as pathway_services
from tests.accounts.factories import MembershipFactory, UserFactory

from .conftest import open_spot

pytestmark = pytest.mark.django_db

NOTE = "Souhaite se reconvertir (note confidentielle)."

# role, relation to the accompaniment, hand-over (None, "sans-notes", "avec-notes"):
#   reads the pathway, reads the accompaniment, reads its notes
MATRIX: list[tuple[str, str, str | None, bool, bool, bool]] = [
    ("anonymous", "aucune", None, False, False, False),
    ("person", "la personne (lien privé)", None, True, True, True),  # notes: through the export only
    ("conseiller_a", "structure qui accompagne", None, True, True, True),
    ("admin_a", "structure qui accompagne", None, True, True, True),
    ("conseiller_b", "autre structure", None, False, False, False),
    ("admin_b", "autre structure", None, False, False, False),
    ("conseiller_c", "autre structure, autre région", None, False, False, False),
    ("tete_ml_bzh", "territoire (réseau ML de Bretagne, couvre a)", None, False, False, False),
    ("pilote_region", "territoire (Bretagne)", None, False, False, False),
    ("pilote_etat_29", "territoire (Finistère)", None, False, False, False),
    ("pilote_etat", "territoire (France entière)", None, False, False, False),
    ("superuser", "administrateur de la plateforme, sans appartenance", None, False, False, False),
    ("superuser_member_a", "administrateur de la plateforme, membre de a", None, True, True, True),
    ("nobody", "compte sans rôle", None, False, False, False),
    ("inactive_conseiller_a", "compte désactivé de a", None, False, False, False),
    # After a hand-over from a to b.
    ("conseiller_b", "structure qui reçoit le relais, notes non partagées", "sans-notes", True, False, False),
    ("conseiller_b", "structure qui reçoit le relais, notes partagées", "avec-notes", True, False, True),
    ("conseiller_a", "structure qui a passé le relais", "sans-notes", True, True, True),
    ("conseiller_c", "autre structure", "avec-notes", False, False, False),
    ("pilote_region", "territoire (Bretagne)", "avec-notes", False, False, False),
]


@pytest.fixture
def world(network):
    users = network["users"]
    users["conseiller_c"] = MembershipFactory(
        structure=network["c"], user__email="conseiller.c@example.org"
    ).user
    su = UserFactory(email="admin.a@plateforme.example.org", is_superuser=True, is_staff=True)
    MembershipFactory(structure=network["a"], user=su, role=StructureRole.CONSEILLER)
    users["superuser_member_a"] = su
    inactive = MembershipFactory(structure=network["a"], user__email="ancienne@example.org").user
    inactive.is_active = False
    inactive.save()
    users["inactive_conseiller_a"] = inactive
    users["anonymous"] = AnonymousUser()
    opened = open_spot(network["a"], users["conseiller_a"])
    services.add_note(opened.accompaniment, user=users["conseiller_a"], text=NOTE)
    network["opened"] = opened
    return network


def _setup(world, handover: str | None):
    opened = world["opened"]
    acc = opened.accompaniment
    received = None
    if handover:
        received = services.hand_over(
            acc,
            world["b"],
            user=world["users"]["conseiller_a"],
            consent=True,
            share_notes=handover == "avec-notes",
        )
        acc.refresh_from_db()
    return opened, acc, received


@pytest.mark.parametrize(
    "role, relation, handover, pathway, accompaniment, notes",
    MATRIX,
    ids=[f"{row[0]}-{row[2] or 'direct'}" for row in MATRIX],
)
def test_matrix(world, client, role, relation, handover, pathway, accompaniment, notes):
    opened, acc, received = _setup(world, handover)
    if role == "person":
        found = pathway_services.find_by_token(opened.pathway_token)
        assert (found == acc.pathway) is pathway
        response = client.get(f"/accompagnements/mes-donnees/{opened.pathway_token}")
        assert response.status_code == 200
        data = json.loads(response.content)
        assert bool(data["accompagnements"]) is accompaniment
        assert (NOTE in response.content.decode()) is notes
        return
    user = world["users"][role]
    # The functions.
    assert pathway_access.can_read(user, acc.pathway) is pathway
    assert access.can_view(user, acc) is accompaniment
    if received is not None and role == "conseiller_b":
        # b reads its own accompaniment, and a's notes through it only with the person's agreement.
        assert access.can_view(user, received)
        assert (NOTE in [n.text for n in access.readable_notes(user, received)]) is notes
    else:
        assert (NOTE in [n.text for n in access.readable_notes(user, acc)]) is notes
    assert access.can_read_note(user, acc.notes.get()) is notes
    # The pages.
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    page = client.get(f"/pro/accompagnements/{acc.public_id}")
    if isinstance(user, AnonymousUser) or not user.is_active:
        assert page.status_code == 302 and page["Location"].startswith("/pro/connexion")
    else:
        assert page.status_code == (200 if accompaniment else 404)
        assert (NOTE in page.content.decode()) is (accompaniment and notes)
    if received is not None and role == "conseiller_b":
        own = client.get(f"/pro/accompagnements/{received.public_id}")
        assert own.status_code == 200
        assert (NOTE in own.content.decode()) is notes
    listing = client.get("/pro/accompagnements")
    if listing.status_code == 200:
        assert (str(acc.public_id) in listing.content.decode()) is accompaniment


@pytest.mark.parametrize("role", ["conseiller_a", "admin_a", "superuser_member_a"])
def test_every_professional_read_of_notes_writes_exactly_one_audit_record(world, client, role):
    user = world["users"][role]
    acc = world["opened"].accompaniment
    client.force_login(user)
    before = AuditEvent.objects.count()
    assert client.get(f"/pro/accompagnements/{acc.public_id}").status_code == 200
    events = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
    assert len(events) == 1
    (event,) = events
    assert (event.user, event.action, event.structure, event.object_id) == (
        user,
        "accompaniment.view",
        world["a"],
        str(acc.pk),
    )
    # A second read, a second record.
    client.get(f"/pro/accompagnements/{acc.public_id}")
    assert AuditEvent.objects.count() == before + 2


def test_the_receiving_structures_read_of_shared_notes_is_audited_once(world, client):
    _opened, acc, received = _setup(world, "avec-notes")
    client.force_login(world["users"]["conseiller_b"])
    before = AuditEvent.objects.count()
    assert NOTE in client.get(f"/pro/accompagnements/{received.public_id}").content.decode()
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().structure == world["b"]


@pytest.mark.parametrize("role", ["conseiller_b", "pilote_region", "superuser", "tete_ml_bzh"])
def test_refused_reads_write_no_audit_record_and_show_nothing(world, client, role):
    acc = world["opened"].accompaniment
    client.force_login(world["users"][role])
    before = AuditEvent.objects.count()
    response = client.get(f"/pro/accompagnements/{acc.public_id}")
    assert response.status_code == 404 and NOTE not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_persons_export_is_audited_once_without_a_user(world, client):
    token = world["opened"].pathway_token
    before = AuditEvent.objects.count()
    client.get(f"/accompagnements/mes-donnees/{token}")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.user is None and event.action == "accompaniment.export"
