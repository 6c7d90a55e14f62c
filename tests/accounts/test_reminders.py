"""Freshness reminders: `spro directory remind-stale` writes one outbox e-mail per structure admin, listing only
that admin's stale structures; conseillers and other structures' admins get nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from spro.accounts.models import StructureRole
from spro.referrals.models import OutboxMessage

from .factories import MembershipFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_each_admin_is_reminded_of_their_own_stale_structures(network):
    a, b = network["a"], network["b"]
    a.date_maj, a.date_verification = dt.date(2025, 1, 10), None  # stale: never verified, old record
    a.save()
    b.date_verification = dt.date.today()  # fresh
    b.save()
    fresh_admin = MembershipFactory(
        structure=b, role=StructureRole.ADMIN_STRUCTURE, user__email="admin.b@example.org"
    ).user

    out = io.StringIO()
    call_command("directory", "remind-stale", stdout=out)

    messages = list(OutboxMessage.objects.all())
    assert [m.to for m in messages] == [network["users"]["admin_a"].email]
    assert a.nom in messages[0].body and f"/structures/{a.di_id}" in messages[0].body
    assert b.nom not in messages[0].body
    assert not OutboxMessage.objects.filter(to=fresh_admin.email).exists()
    assert not OutboxMessage.objects.filter(to=network["users"]["conseiller_a"].email).exists()
    assert "1 rappel(s)" in out.getvalue()


def test_an_admin_of_several_stale_structures_gets_one_message(network):
    admin = network["users"]["admin_a"]
    old = dt.date(2025, 1, 10)
    network["a"].date_maj, network["a"].date_verification = old, None  # admin_a is already its admin
    network["a"].save()
    other = StructureFactory(nom="Antenne de Douarnenez", date_maj=old, date_verification=None)
    MembershipFactory(structure=other, user=admin, role=StructureRole.ADMIN_STRUCTURE)
    call_command("directory", "remind-stale", stdout=io.StringIO())
    message = OutboxMessage.objects.get(to=admin.email)
    assert "2 fiche(s)" in message.subject and "Antenne de Douarnenez" in message.body
