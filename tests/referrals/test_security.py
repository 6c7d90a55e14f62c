"""Security findings of issue 12 on the referral flow: form keys bound to their form, follow-page reads audited,
duplicates counted once by the rate limit, invisible characters neutralised."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from spro.audit.models import AuditEvent
from spro.referrals import services, tokens
from spro.referrals.forms import ContactForm, OnwardForm
from spro.referrals.models import Referral

from .conftest import make_referral
from .test_pro_views import act, detail
from .test_public_views import form_key, submit


def _onward_key_from_the_page(client, referral) -> str:
    html = client.get(detail(referral)).content.decode()
    return re.search(r'name="orienter-cle" value="([^"]+)"', html).group(1)


# --- 1. A form key is bound to its form, its structure and its source referral ---------------------------------


@pytest.mark.django_db
def test_an_onward_key_replayed_on_public_forms_never_reveals_the_new_referrals_link(
    client, conseiller, referral, other_structure, structure
):
    client.force_login(conseiller)
    key = _onward_key_from_the_page(client, referral)
    sent = client.post(
        act(referral, "orienter"),
        {"orienter-cle": key, "orienter-structure": other_structure.di_id, "orienter-accord": "on"},
    )
    assert sent.status_code == 303
    onward = Referral.objects.get(referred_from=referral)
    # The conseiller (or anyone who saw the page) posts the same key to B's public form, and to another one.
    for target in (other_structure, structure):
        response = submit(Client(), target, key, first_name="Eve", contact_value="eve@example.org")
        body = response.content.decode()
        assert response.status_code == 400, target
        assert "/suivi/" not in response.get("Location", "") and "/suivi/" not in body
        assert "Le formulaire a expiré" in body
        assert onward.first_name not in body and onward.contact_value not in body
    assert Referral.objects.count() == 2  # nothing created either


@pytest.mark.django_db
def test_a_bare_or_forged_key_is_refused_by_the_public_form(client, structure, other_structure):
    nonce = tokens.new_idempotency_key()
    assert submit(client, structure, nonce).status_code == 400  # no signature
    forged = f"{nonce}.{tokens.new_idempotency_key()}"
    assert submit(client, structure, forged).status_code == 400
    # A key issued for another structure's form.
    assert submit(client, structure, ContactForm.new_key(other_structure)).status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_same_nonce_in_another_form_finds_nobody_elses_referral(referral, conseiller, other_structure):
    nonce = tokens.new_idempotency_key()
    onward = services.refer_onward(referral, other_structure, user=conseiller, idempotency_key=nonce)
    public = services.create_referral(
        other_structure,
        services.ContactDetails("Eve", "courriel", "eve@example.org"),
        idempotency_key=nonce,
    )
    assert public.created and public.referral.pk != onward.referral.pk
    assert public.follow_token != onward.follow_token
    assert services.find_by_follow_token(public.follow_token).first_name == "Eve"


@pytest.mark.django_db
def test_a_used_public_key_with_other_details_gets_a_neutral_page_without_the_link(client, structure):
    key = form_key(client, structure)
    first = submit(client, structure, key)
    assert first.status_code == 303 and "/suivi/" in first["Location"]
    again = submit(client, structure, key)  # the same person, a double submit: the same page
    assert again.status_code == 303 and again["Location"] == first["Location"]
    replay = submit(Client(), structure, key, first_name="Eve", contact_value="eve@example.org")
    body = replay.content.decode()
    assert replay.status_code == 200 and "déjà été envoyée" in body
    assert "/suivi/" not in body and "camille@example.org" not in body and "Camille" not in body
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_an_onward_key_creates_one_referral_whatever_the_structure_chosen_then(
    client, conseiller, referral, other_structure, structure
):
    from .conftest import make_structure

    third = make_structure(nom="France Travail Rennes", courriel="ft@example.org", typologie="FT")
    client.force_login(conseiller)
    key = _onward_key_from_the_page(client, referral)
    for target in (other_structure, third):
        data = {"orienter-cle": key, "orienter-structure": target.di_id, "orienter-accord": "on"}
        assert client.post(act(referral, "orienter"), data).status_code == 303
    assert Referral.objects.filter(referred_from=referral).count() == 1
    # A key of another referral's form is refused here.
    other = make_referral(structure, contact="dominique@example.org")[0]
    data = {
        "orienter-cle": OnwardForm.new_key(other),
        "orienter-structure": third.di_id,
        "orienter-accord": "on",
    }
    assert client.post(act(referral, "orienter"), data).status_code == 400


# --- 2. Reads of the follow page are audited -------------------------------------------------------------------


@pytest.mark.django_db
def test_each_display_of_the_follow_page_writes_an_audit_event(client, structure):
    referral, token = make_referral(structure)
    assert client.get(f"/suivi/{token}").status_code == 200
    assert client.get(f"/suivi/{token}").status_code == 200
    events = AuditEvent.objects.filter(action="referral.follow.view")
    assert events.count() == 2
    event = events.first()
    assert (event.user, event.object_type, event.object_id, event.structure) == (
        None,
        "referrals.referral",
        str(referral.pk),
        structure,
    )
    assert token not in event.detail and "Camille" not in event.detail
    client.get(f"/suivi/{'x' * 43}")  # an unknown link reads nothing: nothing to audit
    assert AuditEvent.objects.filter(action="referral.follow.view").count() == 2


# --- 3. Duplicates of one form count once against the rate limit -----------------------------------------------


@pytest.mark.django_db
def test_a_refused_key_stays_refused_when_sent_again(client, structure, settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = "1/hour"
    keys = [form_key(client, structure) for _ in range(2)]
    assert submit(client, structure, keys[0]).status_code == 303
    assert submit(client, structure, keys[1]).status_code == 429
    assert submit(client, structure, keys[1]).status_code == 429  # no free pass for a key seen once
    assert Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_of_one_form_count_once(structure, settings, monkeypatch):
    settings.SPRO_REFERRAL_RATE_LIMIT = "2/hour"
    key, next_key = ContactForm.new_key(structure), ContactForm.new_key(structure)
    real = services.create_referral
    both_checked = threading.Barrier(2, timeout=10)

    def after_the_rate_check(*args, **kwargs):
        both_checked.wait()  # both requests passed the rate limit before either wrote the referral
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "create_referral", after_the_rate_check)
    statuses: list[int] = []

    def post() -> None:
        try:
            statuses.append(submit(Client(), structure, key).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.setattr(services, "create_referral", real)
    assert statuses == [303, 303]
    assert Referral.objects.count() == 1
    # The duplicate was not counted: the second of the two allowed creations still goes through.
    assert submit(Client(), structure, next_key).status_code == 303
    assert submit(Client(), structure, ContactForm.new_key(structure)).status_code == 429


# --- 4. Invisible format characters ----------------------------------------------------------------------------

BIDI = "\u202eecilA\u202c"  # RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING
ZERO_WIDTH = "Ca\u200bmi\u200dlle\ufeff"


@pytest.mark.django_db
def test_invisible_characters_are_removed_from_what_the_person_types(client, structure):
    key = form_key(client, structure)
    message = "Bonjour\u2066 je\u2069 cherche\u200f\r\nune formation"
    response = submit(client, structure, key, first_name=ZERO_WIDTH, message=message)
    assert response.status_code == 303
    referral = Referral.objects.get()
    assert referral.first_name == "Camille"
    assert referral.message == "Bonjour je cherche\nune formation"


@pytest.mark.django_db
def test_pro_pages_neutralise_invisible_characters_stored_before(client, conseiller, referral):
    Referral.objects.filter(pk=referral.pk).update(
        first_name=BIDI, message="Rappelez\u200b-moi\u202e svp", contact_value="ca\u200bmille@example.org"
    )
    client.force_login(conseiller)
    html = client.get(detail(referral)).content.decode()
    for char in ("\u202e", "\u202c", "\u200b"):
        assert char not in html
    assert "<bdi>ecilA</bdi>" in html and "Rappelez-moi svp" in html
    assert 'href="mailto:camille@example.org"' in html


@pytest.mark.django_db
def test_notes_and_places_written_by_conseillers_are_normalised_too(referral, conseiller):
    import datetime as dt

    from django.utils import timezone

    from spro.referrals import workflow

    when = timezone.now() + dt.timedelta(days=2)
    workflow.apply(
        referral,
        "accepter",
        user=conseiller,
        note="Note\u202e interne",
        appointment=workflow.Appointment(when, "sur-place", "12 rue\u200b de Brest"),
    )
    referral.refresh_from_db()
    assert referral.appointment_place == "12 rue de Brest"
    assert referral.transitions.last().note == "Note interne"
