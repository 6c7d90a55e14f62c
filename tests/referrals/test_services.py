"""Creation (idempotent), withdrawal, deletion, onward referral, expiry and anonymisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.referrals import services, tokens, workflow
from spro.referrals.models import OutboxMessage, Referral, Status

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def details(**fields) -> services.ContactDetails:
    values = {"first_name": "Camille", "contact_channel": "courriel", "contact_value": "camille@example.org"}
    values.update(fields)
    return services.ContactDetails(**values)


def test_same_key_twice_creates_one_referral_and_gives_the_same_link(structure):
    key = tokens.new_idempotency_key()
    first = services.create_referral(structure, details(), idempotency_key=key)
    second = services.create_referral(structure, details(first_name="Autre"), idempotency_key=key)
    assert first.created and not second.created
    assert first.referral.pk == second.referral.pk
    assert first.follow_token == second.follow_token
    assert Referral.objects.count() == 1
    assert first.referral.transitions.count() == 1


def test_database_holds_only_digests_of_the_key_and_the_link(structure):
    key = tokens.new_idempotency_key()
    created = services.create_referral(structure, details(), idempotency_key=key)
    row = Referral.objects.filter(pk=created.referral.pk).values().get()
    assert key not in str(row) and created.follow_token not in str(row)
    assert services.find_by_follow_token(created.follow_token).pk == created.referral.pk


@pytest.mark.parametrize("key", ["", "court", "x" * 43 + "!", "é" * 43])
def test_malformed_key_is_refused(structure, key):
    with pytest.raises(workflow.MissingInformation):
        services.create_referral(structure, details(), idempotency_key=key)
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"first_name": " "},
        {"contact_value": ""},
        {"contact_channel": "pigeon"},
        {"message": "x" * 1001},
        {"besoins": ["inconnu"]},
    ],
)
def test_incomplete_details_write_nothing(structure, fields):
    with pytest.raises(workflow.MissingInformation):
        services.create_referral(structure, details(**fields), idempotency_key=tokens.new_idempotency_key())
    assert Referral.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_creation_writes_emails_to_the_structure_without_personal_data_and_to_the_person(structure):
    referral, token = make_referral(structure, message="Mon message très personnel")
    to_structure = OutboxMessage.objects.get(to=structure.courriel)
    assert "Camille" not in to_structure.body and "camille@example.org" not in to_structure.body
    assert "Mon message" not in to_structure.body
    assert f"https://orientation.example.org/pro/orientations/{referral.public_id}" in to_structure.body
    to_person = OutboxMessage.objects.get(to="camille@example.org")
    assert to_person.to_person and f"/suivi/{token}" in to_person.body


def test_phone_channel_sends_nothing_to_the_person(structure):
    make_referral(structure, channel="telephone", contact="06 12 34 56 78")
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [structure.courriel]


def test_withdrawal_stops_the_referral_erases_the_data_and_tells_the_structure(referral):
    services.withdraw(referral)
    referral.refresh_from_db()
    assert referral.status == Status.RETIREE
    assert (referral.first_name, referral.contact_value, referral.message) == ("", "", "")
    assert referral.anonymised_at is not None
    assert referral.follow_token_hash  # the link still shows the status
    assert not OutboxMessage.objects.filter(to_person=True).exists()
    assert OutboxMessage.objects.filter(subject__contains="retirée", to=referral.structure.courriel).exists()
    reasons = list(referral.transitions.values_list("reason", flat=True))
    assert reasons == ["creation", "retirer", "retrait-consentement"]


def test_withdrawal_of_a_closed_referral_is_refused(referral, conseiller):
    workflow.apply(referral, "refuser", user=conseiller, reason="hors-zone")
    with pytest.raises(workflow.IllegalTransition):
        services.withdraw(referral)


@pytest.mark.parametrize("close_first", [False, True])
def test_deleting_data_erases_them_and_kills_the_link(referral, conseiller, close_first):
    _, token = make_referral(referral.structure)
    referral = services.find_by_follow_token(token)
    if close_first:
        workflow.apply(referral, "refuser", user=conseiller, reason="complet", note="Camille rappelée")
    services.delete_data(referral)
    referral.refresh_from_db()
    assert referral.status == (Status.REFUSEE if close_first else Status.RETIREE)
    assert referral.is_anonymised and referral.follow_token_hash is None
    assert services.find_by_follow_token(token) is None
    assert not referral.transitions.exclude(note="").exists()  # free-text notes erased too
    assert referral.transitions.last().reason == "suppression-demandee"


def test_deleting_after_withdrawal_only_kills_the_link(referral):
    services.withdraw(referral)
    services.delete_data(referral)
    referral.refresh_from_db()
    assert referral.follow_token_hash is None
    assert referral.transitions.last().reason == "lien-supprime"


def test_onward_referral_creates_a_linked_referral_and_logs_both(referral, conseiller, other_structure):
    created = services.refer_onward(
        referral, other_structure, user=conseiller, idempotency_key=tokens.new_idempotency_key()
    )
    onward = created.referral
    assert onward.structure == other_structure and onward.referred_from == referral
    assert onward.referred_by_user == conseiller and onward.first_name == referral.first_name
    assert onward.consent_text_version == services.ONWARD_CONSENT_TEXT_VERSION
    first = onward.transitions.get()
    assert (first.reason, first.by_user, first.by_person) == ("orientation-par-conseiller", conseiller, False)
    assert referral.transitions.last().reason == "orientee-ailleurs"
    assert OutboxMessage.objects.filter(to=other_structure.courriel).exists()


def test_onward_referral_to_the_same_structure_is_refused(referral, conseiller):
    with pytest.raises(workflow.MissingInformation):
        services.refer_onward(
            referral, referral.structure, user=conseiller, idempotency_key=tokens.new_idempotency_key()
        )


def test_expiry_is_idempotent_and_logged(structure, conseiller, settings):
    old, _ = make_referral(structure)
    seen, _ = make_referral(structure)
    accepted, _ = make_referral(structure)
    fresh, _ = make_referral(structure)
    workflow.apply(seen, "voir", user=conseiller)
    workflow.apply(
        accepted,
        "accepter",
        user=conseiller,
        appointment=workflow.Appointment(timezone.now() + dt.timedelta(days=1), "telephone"),
    )
    past = timezone.now() - dt.timedelta(minutes=1)
    Referral.objects.filter(pk__in=[old.pk, seen.pk, accepted.pk]).update(expires_at=past)
    assert services.expire_due() == 2
    assert services.expire_due() == 0
    statuses = dict(Referral.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expiree", seen.pk: "expiree", accepted.pk: "acceptee", fresh.pk: "nouvelle"}
    assert old.transitions.last().reason == "expirer"


def test_expiry_deadline_comes_from_the_setting(structure, settings):
    settings.SPRO_REFERRAL_EXPIRY_DAYS = 7
    referral, _ = make_referral(structure)
    assert abs(referral.expires_at - referral.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)


def test_anonymisation_after_retention_is_idempotent_and_keeps_the_categories(structure, settings):
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 24
    old, _ = make_referral(structure, besoins=["vae"])
    recent, _ = make_referral(structure)
    Referral.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=24 * 31 + 1))
    assert services.anonymise_due() == 1
    assert services.anonymise_due() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.is_anonymised and old.first_name == "" and old.besoins == ["vae"]
    assert old.structure == structure and old.status == Status.NOUVELLE
    assert old.transitions.last().reason == "duree-conservation"
    assert not recent.is_anonymised
    assert not OutboxMessage.objects.filter(referral=old, to_person=True).exists()


def test_anonymised_referral_cannot_change_any_more(referral, conseiller, other_structure):
    services.withdraw(referral)
    with pytest.raises(workflow.IllegalTransition):
        workflow.apply(referral, "voir", user=conseiller)
    with pytest.raises(workflow.IllegalTransition):
        services.refer_onward(
            referral, other_structure, user=conseiller, idempotency_key=tokens.new_idempotency_key()
        )


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 3, 31, 12), 1, dt.datetime(2026, 2, 28, 12)),
        (dt.datetime(2026, 1, 15), 24, dt.datetime(2024, 1, 15)),
        (dt.datetime(2024, 2, 29), 12, dt.datetime(2023, 2, 28)),
    ],
)
def test_months_before(moment, months, expected):
    assert services.months_before(moment, months) == expected
