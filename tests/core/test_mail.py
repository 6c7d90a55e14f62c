"""`spro.core.mail`: any app queues an e-mail through core; the referrals app's outbox is plugged in at start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from spro.core import mail
from spro.referrals.models import OutboxMessage


@pytest.mark.django_db
def test_an_email_queued_through_core_is_written_to_the_referrals_outbox():
    message = mail.queue_email("admin@example.org", "Sujet", "Corps")
    assert OutboxMessage.objects.get() == message
    assert (message.to, message.subject, message.body, message.sent_at) == (
        "admin@example.org",
        "Sujet",
        "Corps",
        None,
    )


@pytest.mark.django_db
def test_an_empty_address_queues_nothing():
    assert mail.queue_email("", "Sujet", "Corps") is None
    assert not OutboxMessage.objects.exists()


def test_without_an_outbox_queueing_fails_instead_of_losing_the_email(monkeypatch):
    monkeypatch.setattr(mail, "_outbox", None)
    with pytest.raises(ImproperlyConfigured, match="outbox"):
        mail.queue_email("admin@example.org", "Sujet", "Corps")
