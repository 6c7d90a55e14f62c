"""The outcome follow-up at 3 and 6 months: consent, due dates, once only, withdrawal, the message (docs/avis.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from spro.audit.models import AuditEvent
from spro.feedback import followup
from spro.feedback.models import FollowUpConsent, OutcomeAnswer
from spro.feedback.vocabularies import FOLLOW_UP_CONSENT_VERSION
from spro.referrals import services
from spro.referrals.models import OutboxMessage, Referral

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def _created_on(referral: Referral, day: dt.date) -> Referral:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    Referral.objects.filter(pk=referral.pk).update(created_at=moment)
    referral.refresh_from_db()
    return referral


def _consenting(structure, day: dt.date = dt.date(2026, 1, 15)) -> Referral:
    referral, _ = make_referral(structure)
    referral = _created_on(referral, day)
    followup.give_consent(referral)
    return referral


def _messages() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(subject__startswith="Où en êtes-vous").order_by("pk"))


def test_consent_from_the_follow_page_is_recorded_with_its_version_and_audited(client, structure):
    referral, token = make_referral(structure)
    page = client.get(f"/suivi/{token}").content.decode()
    assert "être recontacté·e à 3 et 6 mois" in page
    response = client.post(
        f"/avis/suivi/{token}/accord", {"accord": "oui", "version": FOLLOW_UP_CONSENT_VERSION}
    )
    assert response.status_code == 303
    consent = FollowUpConsent.objects.get(referral=referral)
    assert consent.text_version == FOLLOW_UP_CONSENT_VERSION and consent.withdrawn_at is None
    assert AuditEvent.objects.filter(action="suivi-3-6-mois-accord").count() == 1
    assert "Ne plus être recontacté·e" in client.get(f"/suivi/{token}").content.decode()


@pytest.mark.parametrize(
    "data", [{}, {"accord": "non", "version": FOLLOW_UP_CONSENT_VERSION}, {"accord": "oui", "version": "v0"}]
)
def test_consent_requires_the_ticked_box_and_a_known_wording(client, structure, data):
    _, token = make_referral(structure)
    assert client.post(f"/avis/suivi/{token}/accord", data).status_code == 400
    assert FollowUpConsent.objects.count() == 0


def test_no_consent_offered_nor_accepted_for_a_phone_referral(client, structure):
    _, token = make_referral(structure, channel="telephone", contact="0601020304")
    assert "être recontacté·e à 3 et 6 mois" not in client.get(f"/suivi/{token}").content.decode()
    data = {"accord": "oui", "version": FOLLOW_UP_CONSENT_VERSION}
    assert client.post(f"/avis/suivi/{token}/accord", data).status_code == 400
    assert FollowUpConsent.objects.count() == 0


def test_unknown_follow_token_is_404(client):
    assert client.post("/avis/suivi/" + "a" * 43 + "/accord", {"accord": "oui"}).status_code == 404


@pytest.mark.parametrize(
    ("created", "months"),
    [
        (dt.date(2026, 1, 15), {3: dt.date(2026, 4, 15), 6: dt.date(2026, 7, 15)}),
        (dt.date(2025, 11, 30), {3: dt.date(2026, 2, 28), 6: dt.date(2026, 5, 30)}),
        (dt.date(2026, 8, 31), {3: dt.date(2026, 11, 30), 6: dt.date(2027, 2, 28)}),
        (dt.date(2027, 11, 30), {3: dt.date(2028, 2, 29), 6: dt.date(2028, 5, 30)}),
    ],
)
def test_due_dates_keep_the_day_or_take_the_month_end(structure, created, months):
    referral = _consenting(structure, created)
    for number, due in months.items():
        before = due - dt.timedelta(days=1)
        assert followup.queue_due(before).queued == []
        assert followup.queue_due(due).queued == [(referral.follow_up_consent.pk, number)]
    assert len(_messages()) == 2


def test_each_message_is_queued_once(structure):
    _consenting(structure)
    call_command("avis", "relances", "--date", "2026-04-20")
    call_command("avis", "relances", "--date", "2026-04-21")
    assert len(_messages()) == 1
    call_command("avis", "relances", "--date", "2026-07-15")
    call_command("avis", "relances", "--date", "2026-12-01")
    assert len(_messages()) == 2


def test_a_late_run_sends_only_the_six_month_message(structure):
    _consenting(structure)
    assert [m for _, m in followup.queue_due(dt.date(2026, 8, 1)).queued] == [6]
    assert followup.queue_due(dt.date(2026, 9, 1)).queued == []


def test_dry_run_writes_nothing(structure, capsys):
    _consenting(structure)
    call_command("avis", "relances", "--date", "2026-04-15", "--dry-run")
    assert "1 message(s) à 3 mois et 0 message(s) à 6 mois seraient mis en file." in capsys.readouterr().out
    assert _messages() == []
    assert FollowUpConsent.objects.get().sent_3_at is None


def test_a_bad_date_is_a_command_error(db):
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("avis", "relances", "--date", "2026-02-30")


def test_nothing_without_consent(structure):
    referral, _ = make_referral(structure)
    _created_on(referral, dt.date(2026, 1, 15))
    assert followup.queue_due(dt.date(2026, 7, 20)).queued == []
    assert _messages() == []


def test_withdrawal_from_the_follow_page_stops_messages(client, structure):
    referral, token = make_referral(structure)
    _created_on(referral, dt.date(2026, 1, 15))
    followup.give_consent(referral)
    assert client.post(f"/avis/suivi/{token}/retrait").status_code == 303
    assert FollowUpConsent.objects.get().withdrawn_at is not None
    assert followup.queue_due(dt.date(2026, 7, 20)).queued == []
    assert AuditEvent.objects.filter(action="suivi-3-6-mois-retrait").count() == 1


def test_no_message_once_the_referral_data_are_erased(structure):
    referral = _consenting(structure)
    services.delete_data(referral)
    assert followup.queue_due(dt.date(2026, 7, 20)).queued == []


def _link(message: OutboxMessage) -> str:
    match = re.search(r"https://orientation\.example\.org(/avis/ou-en-etes-vous/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_message_content(structure):
    referral = _consenting(structure)
    followup.queue_due(dt.date(2026, 4, 15))
    (message,) = _messages()
    assert message.to == "camille@example.org" and message.to_person and message.referral_id == referral.pk
    assert message.subject == "Où en êtes-vous, 3 mois après votre demande ?"
    assert message.body.startswith("Bonjour Camille,")
    assert structure.nom in message.body
    assert "Ce lien fonctionne 60 jours." in message.body
    assert "Pour ne plus recevoir ces messages : https://orientation.example.org/suivi/" in message.body
    assert "changer de métier" not in message.body  # the person's message is never repeated
    assert _link(message)


def test_the_answer_is_stored_without_identity_and_once(client, structure):
    _consenting(structure)
    followup.queue_due(dt.date(2026, 4, 15))
    link = _link(_messages()[0])
    page = client.get(link)
    assert page.status_code == 200 and "Où en êtes-vous, 3 mois" in page.content.decode()
    assert client.post(link, {"situation": "formation"}).status_code == 200
    answer = OutcomeAnswer.objects.get()
    assert (answer.months, answer.outcome, answer.typologie, answer.reseau) == (
        3,
        "formation",
        "ML",
        "mission-locale",
    )
    again = client.post(link, {"situation": "emploi"})
    assert again.status_code == 409
    assert OutcomeAnswer.objects.count() == 1
    assert "déjà été enregistrée" in client.get(link).content.decode()


def test_ne_plus_etre_recontacte_withdraws_and_is_not_counted(client, structure):
    _consenting(structure)
    followup.queue_due(dt.date(2026, 4, 15))
    link = _link(_messages()[0])
    response = client.post(link, {"situation": "ne-plus-contacter"})
    assert "nous ne vous écrirons plus" in response.content.decode()
    assert OutcomeAnswer.objects.count() == 0
    assert FollowUpConsent.objects.get().withdrawn_at is not None
    assert followup.queue_due(dt.date(2026, 7, 20)).queued == []
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("choice", ["", "inventee", "ne-plus"])
def test_forged_choice_is_400(client, structure, choice):
    _consenting(structure)
    followup.queue_due(dt.date(2026, 4, 15))
    assert client.post(_link(_messages()[0]), {"situation": choice}).status_code == 400
    assert OutcomeAnswer.objects.count() == 0


def test_forged_or_foreign_links_are_refused(client, structure):
    consent = _consenting(structure).follow_up_consent
    assert client.get("/avis/ou-en-etes-vous/forge").status_code == 404
    other_salt = signing.dumps({"c": consent.pk, "m": 3}, salt="autre")
    assert client.get(f"/avis/ou-en-etes-vous/{other_salt}").status_code == 404
    bad_month = signing.dumps({"c": consent.pk, "m": 4}, salt=followup.SALT)
    assert client.post(f"/avis/ou-en-etes-vous/{bad_month}", {"situation": "emploi"}).status_code == 404
    assert OutcomeAnswer.objects.count() == 0
