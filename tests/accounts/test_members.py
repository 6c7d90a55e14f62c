"""Structure admins change members' roles and remove them; nobody else does; a structure keeps one admin."""

from __future__ import annotations

import pytest

from spro.accounts.models import Membership, StructureRole

from .factories import MembershipFactory


def url(network, membership) -> str:
    return f"/pro/structures/{network['a'].pk}/membres/{membership.pk}"


def test_an_admin_promotes_then_removes_a_conseiller(client, network):
    conseiller = Membership.objects.get(user=network["users"]["conseiller_a"])
    client.force_login(network["users"]["admin_a"])
    response = client.post(
        url(network, conseiller), {"action": "role", "role": "admin_structure"}, follow=True
    )
    assert "Rôle de conseiller.a@example.org" in response.content.decode()
    conseiller.refresh_from_db()
    assert conseiller.role == StructureRole.ADMIN_STRUCTURE
    client.post(url(network, conseiller), {"action": "retirer"})
    assert not Membership.objects.filter(pk=conseiller.pk).exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(client, network):
    admin = Membership.objects.get(user=network["users"]["admin_a"])
    client.force_login(network["users"]["admin_a"])
    response = client.post(url(network, admin), {"action": "retirer"}, follow=True)
    assert "au moins un administrateur" in response.content.decode()
    client.post(url(network, admin), {"action": "role", "role": "conseiller"})
    admin.refresh_from_db()
    assert admin.role == StructureRole.ADMIN_STRUCTURE


@pytest.mark.parametrize("role", ["conseiller_a", "conseiller_b", "pilote_region", "nobody"])
def test_only_admins_of_the_structure_manage_its_members(client, network, role):
    conseiller = Membership.objects.get(user=network["users"]["conseiller_a"])
    client.force_login(network["users"][role])
    assert client.post(url(network, conseiller), {"action": "retirer"}).status_code == 403
    assert client.get(f"/pro/structures/{network['a'].pk}/inviter").status_code == 403
    assert Membership.objects.filter(pk=conseiller.pk).exists()


def test_a_membership_of_another_structure_cannot_be_reached_through_this_one(client, network):
    other = MembershipFactory(structure=network["b"], user__email="autre@example.org")
    client.force_login(network["users"]["admin_a"])
    assert client.post(url(network, other), {"action": "retirer"}).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_bad_actions_are_refused(client, network):
    conseiller = Membership.objects.get(user=network["users"]["conseiller_a"])
    client.force_login(network["users"]["admin_a"])
    assert client.post(url(network, conseiller), {"action": "role", "role": "roi"}).status_code == 400
    assert client.post(url(network, conseiller), {"action": "detruire"}).status_code == 400
    assert client.get(url(network, conseiller)).status_code == 405
    conseiller.refresh_from_db()
    assert conseiller.role == StructureRole.CONSEILLER


def test_the_platform_admin_manages_members_of_any_structure(client, network):
    conseiller = Membership.objects.get(user=network["users"]["conseiller_a"])
    client.force_login(network["users"]["superuser"])
    assert client.post(url(network, conseiller), {"action": "retirer"}).status_code == 302
    assert not Membership.objects.filter(pk=conseiller.pk).exists()


def test_each_read_of_the_members_page_is_audited_with_who_and_which_structure(client, network):
    from spro.audit.models import AuditEvent

    admin = network["users"]["admin_a"]
    client.force_login(admin)
    for _ in range(2):
        assert client.get(f"/pro/structures/{network['a'].pk}/inviter").status_code == 200
    events = AuditEvent.objects.filter(action="structure.members.view")
    assert events.count() == 2
    event = events.first()
    assert (event.user, event.structure, event.object_type, event.object_id) == (
        admin,
        network["a"],
        "directory.structure",
        str(network["a"].pk),
    )
    assert event.at is not None


def test_a_refused_read_of_the_members_page_writes_no_audit_event(client, network):
    from spro.audit.models import AuditEvent

    client.force_login(network["users"]["conseiller_a"])
    assert client.get(f"/pro/structures/{network['a'].pk}/inviter").status_code == 403
    assert not AuditEvent.objects.exists()
