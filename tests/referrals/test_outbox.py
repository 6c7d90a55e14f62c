"""The outbox: a mail-server failure loses nothing, messages go out once the server answers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from spro.referrals import outbox
from spro.referrals.models import OutboxMessage

from .conftest import make_referral

pytestmark = pytest.mark.django_db

FAILING = "tests.referrals.failing_backend.FailingBackend"


def test_failed_sends_are_kept_with_backoff_then_delivered(structure, settings):
    make_referral(structure)  # one e-mail to the structure, one to the person
    settings.EMAIL_BACKEND = FAILING
    now = timezone.now()
    report = outbox.send_due(now=now)
    assert (report.sent, report.failed, report.pending) == (0, 2, 2)
    message = OutboxMessage.objects.first()
    assert message.attempts == 1 and "Connection refused" in message.last_error
    assert message.next_attempt_at == now + dt.timedelta(minutes=1)

    # Not due yet: nothing is tried again.
    assert outbox.send_due(now=now + dt.timedelta(seconds=30)).failed == 0
    # Due, and still failing: the backoff doubles.
    outbox.send_due(now=now + dt.timedelta(minutes=2))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == now + dt.timedelta(minutes=4)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = outbox.send_due(now=now + dt.timedelta(minutes=10))
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["camille@example.org", structure.courriel])
    assert all(m.sent_at and m.last_error == "" and m.attempts == 3 for m in OutboxMessage.objects.all())
    # Sent messages are never sent again.
    assert outbox.send_due(now=now + dt.timedelta(hours=1)).sent == 0
    assert len(mail.outbox) == 2


def test_backoff_is_capped():
    assert outbox.backoff(1) == dt.timedelta(minutes=1)
    assert outbox.backoff(3) == dt.timedelta(minutes=4)
    assert outbox.backoff(50) == outbox.MAX_BACKOFF


def test_structure_without_email_gets_no_message(db):
    from .conftest import make_structure

    make_referral(make_structure(courriel=""), channel="telephone", contact="0612345678")
    assert OutboxMessage.objects.count() == 0


def test_command_reports_and_survives_a_failing_server(structure, settings):
    make_referral(structure)
    settings.EMAIL_BACKEND = FAILING
    out = io.StringIO()
    call_command("outbox", "send", stdout=out)
    assert "0 message(s) envoyé(s), 2 en échec" in out.getvalue()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("outbox", "send", stdout=out)
    assert "2 message(s) envoyé(s), 0 en échec (nouvel essai prévu), 0 en attente" in out.getvalue()


def test_command_refuses_a_bad_limit():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--limit"):
        call_command("outbox", "send", "--limit", "0")
