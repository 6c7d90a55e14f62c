"""What each status change writes to the outbox, and to whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.referrals import workflow
from spro.referrals.models import OutboxMessage, Referral

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def person_messages():
    return list(OutboxMessage.objects.filter(to_person=True).order_by("id").values_list("subject", "body"))


def test_acceptance_tells_the_person_the_appointment(structure, conseiller):
    referral, token = make_referral(structure)
    when = timezone.make_aware(dt.datetime(2030, 3, 4, 14, 30))
    workflow.apply(
        referral,
        "accepter",
        user=conseiller,
        appointment=workflow.Appointment(when, "sur-place", "12 rue de Brest"),
    )
    subject, body = person_messages()[-1]
    assert "acceptée" in subject
    assert "lundi 4 mars 2030 à 14h30" in body and "sur place (12 rue de Brest)" in body
    # Every status e-mail repeats the person's link, absolute (SPRO_SITE_URL), and it works.
    assert f"https://orientation.example.org/suivi/{token}\n" in body
    assert "confirmer ce rendez-vous ou demander à le déplacer" in body


def test_status_emails_carry_no_link_once_it_was_deleted(structure, conseiller):
    referral, token = make_referral(structure)
    Referral.objects.filter(pk=referral.pk).update(follow_token_hash=None)
    workflow.apply(referral, "voir", user=conseiller)
    subject, body = person_messages()[-1]
    assert token not in body and "/suivi/" not in body
    assert "lien personnel reçu lors de votre demande" in body


def test_decline_and_expiry_point_to_other_structures(structure, conseiller):
    declined, _ = make_referral(structure)
    workflow.apply(declined, "refuser", user=conseiller, reason="hors-zone")
    expired, _ = make_referral(structure, contact="dominique@example.org")
    workflow.apply(expired, "expirer")
    bodies = [body for _, body in person_messages()]
    assert any("zone de compétence" in b and "/structures" in b for b in bodies)
    assert any("a expiré" in b for b in bodies)


def test_structure_emails_never_carry_personal_data(structure, conseiller):
    referral, _ = make_referral(structure, message="Secret")
    workflow.apply(referral, "voir", user=conseiller)
    from spro.referrals import services

    services.withdraw(referral)
    for body in OutboxMessage.objects.filter(to=structure.courriel).values_list("body", flat=True):
        assert "Camille" not in body and "camille@example.org" not in body and "Secret" not in body
