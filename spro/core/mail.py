"""Queueing an e-mail, for any app: `queue_email(to, subject, body)` inside the transaction of the change it announces.

Why an interface here: the transactional outbox (its table, `OutboxMessage`, and the worker that delivers it) belongs
to the referrals app, but apps below it send e-mails too (the accounts app's freshness reminders), and an app never
imports one above it (docs/architecture.md). The referrals app plugs its outbox in at start-up
(`ReferralsConfig.ready()`); without it, queueing fails loudly rather than losing the e-mail.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Outbox(Protocol):
    def __call__(self, to: str, subject: str, body: str, **options: Any) -> Any: ...


_outbox: Outbox | None = None


def set_outbox(outbox: Outbox) -> None:
    """Called once by the app that owns the outbox (spro.referrals)."""
    global _outbox
    _outbox = outbox


def queue_email(to: str, subject: str, body: str, **options: Any) -> Any:
    """Write an e-mail to the outbox (delivered later, retried until it goes); no-op for an empty address."""
    if _outbox is None:
        raise ImproperlyConfigured("No e-mail outbox: spro.referrals must be in INSTALLED_APPS.")
    return _outbox(to, subject, body, **options)
