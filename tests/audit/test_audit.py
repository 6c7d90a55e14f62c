"""The audit log: `record` appends who did what to which object; no row can be changed or deleted."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.db.models.deletion import ProtectedError
from django.test import RequestFactory

from spro import audit
from spro.audit.models import AuditEvent, AuditLogIsAppendOnly
from tests.accounts.factories import MembershipFactory, StructureFactory, UserFactory


@pytest.fixture
def member(db):
    return MembershipFactory(user__email="lecteur@example.org")


def test_record_stores_who_did_what_on_which_object_and_its_structure(member):
    event = audit.record(member.user, "view", member, detail="fiche ouverte")
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.user, event.action, event.object_type, event.object_id) == (
        member.user,
        "view",
        "accounts.membership",
        str(member.pk),
    )
    assert event.structure == member.structure  # taken from obj.structure
    assert event.detail == "fiche ouverte" and event.at is not None


def test_record_accepts_a_type_and_id_pair_and_a_system_actor(db):
    structure = StructureFactory()
    event = audit.record(None, "anonymise", ("referrals.referral", 42), structure=structure)
    assert event.user is None and event.object_type == "referrals.referral" and event.object_id == "42"
    assert event.structure == structure


def test_record_refuses_an_empty_or_overlong_action(member):
    with pytest.raises(ValueError):
        audit.record(member.user, "", member)
    with pytest.raises(ValueError):
        audit.record(member.user, "x" * 51, member)
    assert not AuditEvent.objects.exists()


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(member):
    event = audit.record(member.user, "view", member)
    event.action = "rien"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="rien")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_deleting_the_user_or_structure_cannot_erase_the_trail(member):
    audit.record(member.user, "view", member)
    with pytest.raises(ProtectedError):
        member.user.delete()
    with pytest.raises(ProtectedError):
        member.structure.delete()
    assert AuditEvent.objects.count() == 1


def test_the_admin_shows_the_log_read_only(member):
    superuser = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_admin_changelist_lists_events(client, member):
    audit.record(member.user, "view", member)
    client.force_login(UserFactory(email="root2@example.org", is_superuser=True, is_staff=True))
    response = client.get("/admin/audit/auditevent/")
    assert response.status_code == 200
    assert "accounts.membership" in response.content.decode()


def test_the_model_has_no_field_holding_personal_data():
    names = {field.name for field in AuditEvent._meta.get_fields() if isinstance(field, models.Field)}
    assert names == {"id", "at", "user", "action", "object_type", "object_id", "structure", "detail"}
