"""The person answers the proposed appointment from the follow page: confirm it, or ask for another one; the
structure is told, the log keeps it, a second click changes nothing; the conseiller proposes another one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from spro.referrals import workflow
from spro.referrals.models import OutboxMessage, Referral

from .conftest import make_referral

pytestmark = pytest.mark.django_db

SOON = timezone.now() + dt.timedelta(days=3)


@pytest.fixture
def accepted(structure, conseiller):
    referral, token = make_referral(structure)
    workflow.apply(
        referral,
        "accepter",
        user=conseiller,
        appointment=workflow.Appointment(SOON, "sur-place", "12 rue de Brest"),
    )
    return Referral.objects.get(pk=referral.pk), token


def answer(client, token, choice, **data):
    return client.post(f"/suivi/{token}/rendez-vous", {"choix": choice, **data})


def to_structure(referral):
    return list(
        OutboxMessage.objects.filter(referral=referral, to="cio-rennes@example.org")
        .order_by("id")
        .values_list("subject", "body")
    )


def test_the_follow_page_offers_both_answers_only_for_an_accepted_referral(client, accepted, structure):
    referral, token = accepted
    html = client.get(f"/suivi/{token}").content.decode()
    assert 'value="confirmer"' in html and 'value="deplacer"' in html and "csrfmiddlewaretoken" in html
    _new, new_token = make_referral(structure, contact="dominique@example.org")
    assert 'value="confirmer"' not in client.get(f"/suivi/{new_token}").content.decode()


def test_confirming_is_logged_tells_the_structure_and_is_idempotent(client, accepted):
    referral, token = accepted
    before = len(to_structure(referral))
    response = answer(client, token, "confirmer")
    assert response.status_code == 303 and response["Location"].endswith("?rdv=confirme")
    referral.refresh_from_db()
    assert referral.appointment_confirmed_at is not None and referral.status == "acceptee"
    last = referral.transitions.last()
    assert (last.reason, last.by_person, last.by_user, last.from_status, last.to_status) == (
        "confirmer-rdv",
        True,
        None,
        "acceptee",
        "acceptee",
    )
    mails = to_structure(referral)
    assert len(mails) == before + 1 and mails[-1][0] == "Rendez-vous confirmé par la personne"
    assert "Camille" not in mails[-1][1] and "camille@example.org" not in mails[-1][1]
    transitions = referral.transitions.count()
    assert answer(client, token, "confirmer").status_code == 303  # a second click
    assert referral.transitions.count() == transitions and len(to_structure(referral)) == before + 1
    assert (
        "Merci : vous avez confirmé le rendez-vous"
        in client.get(f"/suivi/{token}?rdv=confirme").content.decode()
    )


def test_asking_to_move_it_reaches_the_conseiller_who_proposes_another(client, accepted, conseiller):
    referral, token = accepted
    response = answer(client, token, "deplacer", disponibilites="Le mardi\u202e après-midi")
    assert response.status_code == 303
    assert answer(client, token, "deplacer", disponibilites="encore").status_code == 303  # idempotent
    referral.refresh_from_db()
    assert referral.appointment_change_requested_at is not None
    moves = referral.transitions.filter(reason="deplacer-rdv")
    assert moves.count() == 1 and moves.get().note == "Le mardi après-midi"
    assert [s for s, _b in to_structure(referral)].count("Demande d’un autre rendez-vous") == 1
    # The conseiller sees it, and proposes another appointment: the person gets it, with the link.
    pro = Client()
    pro.force_login(conseiller)
    html = pro.get(f"/pro/orientations/{referral.public_id}").content.decode()
    assert "La personne demande un autre rendez-vous" in html and "Le mardi après-midi" in html
    later = timezone.localtime() + dt.timedelta(days=5)
    sent = pro.post(
        f"/pro/orientations/{referral.public_id}/replanifier",
        {
            "replanifier-date": later.date().isoformat(),
            "replanifier-heure": "10:00",
            "replanifier-modalite": "telephone",
            "replanifier-lieu": "",
        },
    )
    assert sent.status_code == 303
    referral.refresh_from_db()
    assert referral.appointment_change_requested_at is None and referral.appointment_channel == "telephone"
    subject, body = (
        OutboxMessage.objects.filter(to_person=True).order_by("id").values_list("subject", "body").last()
    )
    assert "vous propose un autre rendez-vous" in body
    assert f"https://orientation.example.org/suivi/{token}" in body


def test_answers_need_csrf_an_accepted_referral_and_a_known_choice(accepted, structure):
    referral, token = accepted
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/suivi/{token}/rendez-vous", {"choix": "confirmer"}).status_code == 403
    client = Client()
    assert answer(client, token, "annuler").status_code == 400
    assert client.get(f"/suivi/{token}/rendez-vous").status_code == 405
    new, new_token = make_referral(structure, contact="dominique@example.org")
    assert answer(client, new_token, "confirmer").status_code == 409
    Referral.objects.filter(pk=referral.pk).update(appointment_at=timezone.now() - dt.timedelta(hours=1))
    assert answer(client, token, "confirmer").status_code == 409  # a past appointment
    assert not Referral.objects.filter(appointment_confirmed_at__isnull=False).exists()
    assert answer(client, "x" * 43, "confirmer").status_code == 404
    too_long = answer(client, token, "deplacer", disponibilites="x" * 1001)
    assert too_long.status_code == 400 and "1000 caractères" in too_long.content.decode()
