"""Transactional outbox: e-mails are rows written with the change they announce, and delivered later.

A referral is never lost because the mail server is down: the row stays, `send_due()` retries it with an
exponential backoff (1, 2, 4… minutes, at most `MAX_BACKOFF`), and records the last error. Delivery is at least
once: a crash between the SMTP answer and the database update may send a message twice, never zero times.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connections, transaction
from django.utils import timezone

from spro.referrals.models import OutboxMessage

logger = logging.getLogger(__name__)

FIRST_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=6)
WORKER_MAX_BACKOFF = (
    300.0  # seconds: the worker's wait after repeated failures of a whole pass (database down…)
)


def enqueue(
    to: str, subject: str, body: str, *, referral=None, to_person: bool = False
) -> OutboxMessage | None:
    """Write a message to send; call it inside the transaction of the change it announces."""
    if not to:
        return None
    return OutboxMessage.objects.create(
        to=to,
        subject=subject[:200],
        body=body,
        referral=referral,
        to_person=to_person,
        next_attempt_at=timezone.now(),
    )


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after `attempts` failures: 1, 2, 4, 8… minutes, capped."""
    exponent = min(max(0, attempts - 1), 20)  # 2**20 minutes is already far above the cap
    return min(FIRST_BACKOFF * (2**exponent), MAX_BACKOFF)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    pending: int = 0  # still waiting after this run (failed ones included)


def send_due(*, now: dt.datetime | None = None, limit: int = 200, backend: str | None = None) -> SendReport:
    """Try every message due by `now`; each message is locked, sent and marked in its own transaction."""
    now = now or timezone.now()
    report = SendReport()
    due_ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    connection = get_connection(backend=backend, fail_silently=False)
    for message_id in due_ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            if message is None:  # sent meanwhile by another worker
                continue
            email = EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
                connection=connection,
            )
            try:
                email.send()
            except Exception as exc:  # any failure of the mail server is retried
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.next_attempt_at = now + backoff(message.attempts)
                message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning(
                    "outbox message %s not sent (attempt %s): %s", message.pk, message.attempts, exc
                )
                report.failed += 1
            else:
                message.attempts += 1
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["attempts", "sent_at", "last_error"])
                report.sent += 1
    report.pending = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return report


def _drop_stale_connections() -> None:
    """A long-running process must not keep a connection the server dropped or that outlived CONN_MAX_AGE (as
    Django does around each request); a connection inside a transaction (the caller's) is left alone."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def work(
    *,
    interval: float = 10.0,
    limit: int = 200,
    max_iterations: int | None = None,
    stop: threading.Event | None = None,
    send: Callable[..., SendReport] | None = None,
) -> int:
    """Deliver due messages every `interval` seconds until `stop` is set; returns the number of passes made.

    The long-running worker (`spro outbox work`, started by `make run` and by a service in production). A full batch
    (`limit` messages due) is followed at once by another pass. A pass that fails as a whole (database unreachable)
    is logged and retried after a growing wait (interval, ×2, ×4…, at most WORKER_MAX_BACKOFF), so a broken database
    is neither hammered nor given up on. `stop` ends the loop between passes or during a wait, never in the middle
    of a message's transaction.
    """
    stop = stop or threading.Event()
    send = send or send_due
    passes = 0
    failures = 0
    logger.info("outbox worker started (every %ss, at most %s messages a pass)", interval, limit)
    while not stop.is_set() and (max_iterations is None or passes < max_iterations):
        passes += 1
        _drop_stale_connections()
        try:
            report = send(limit=limit)
        except Exception:  # the worker survives a failed pass and retries it later
            failures += 1
            wait = min(interval * 2 ** min(failures - 1, 16), WORKER_MAX_BACKOFF)
            logger.exception("outbox pass failed (%s in a row); next try in %.0f s", failures, wait)
        else:
            failures = 0
            wait = 0.0 if report.sent + report.failed >= limit else interval
            if report.sent or report.failed:
                logger.info(
                    "outbox: %s sent, %s failed (retried later), %s pending",
                    report.sent,
                    report.failed,
                    report.pending,
                )
        if max_iterations is not None and passes >= max_iterations:
            break
        if wait:
            stop.wait(wait)
    logger.info("outbox worker stopped after %s pass(es)", passes)
    return passes
