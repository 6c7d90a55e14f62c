"""The long-running outbox worker (`spro outbox work`): passes, back-off, and a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import io
import logging
import os
import signal
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from spro.referrals import outbox
from spro.referrals.models import OutboxMessage

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def test_once_delivers_what_is_due_and_exits(structure):
    make_referral(structure)  # one e-mail to the structure, one to the person
    out = io.StringIO()
    call_command("outbox", "work", "--once", stdout=out)
    assert len(mail.outbox) == 2
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert "1 passage(s)" in out.getvalue()


def test_max_iterations_bounds_the_loop_and_waits_between_passes(monkeypatch):
    waits: list[float] = []
    calls: list[int] = []

    class RecordingStop(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            return False

    def send(*, limit):
        calls.append(limit)
        return outbox.SendReport()

    assert outbox.work(interval=7, limit=50, max_iterations=3, stop=RecordingStop(), send=send) == 3
    assert calls == [50, 50, 50]
    assert waits == [7, 7]  # no wait after the last pass


def test_a_full_batch_is_followed_at_once_by_another_pass():
    waits: list[float] = []
    reports = iter([outbox.SendReport(sent=2), outbox.SendReport(sent=1)])

    class RecordingStop(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            return False

    outbox.work(
        interval=5,
        limit=2,
        max_iterations=3,
        stop=RecordingStop(),
        send=lambda limit: next(reports, outbox.SendReport()),
    )
    assert waits == [5]  # full batch: no wait; then a partial one: the interval


def test_failed_passes_back_off_boundedly_and_recover(caplog):
    waits: list[float] = []
    outcomes = [RuntimeError("database unreachable")] * 12 + [outbox.SendReport()]

    class RecordingStop(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            return False

    def send(*, limit):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with caplog.at_level(logging.ERROR, logger="spro.referrals.outbox"):
        outbox.work(interval=10, max_iterations=14, stop=RecordingStop(), send=send)
    assert waits[:6] == [10, 20, 40, 80, 160, 300]
    assert max(waits) == outbox.WORKER_MAX_BACKOFF
    assert waits[-1] == 10  # after a good pass, the normal interval again
    assert "outbox pass failed (12 in a row)" in caplog.text


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_worker_cleanly_and_restores_the_handlers(structure, signum):
    make_referral(structure)
    before = signal.getsignal(signum)
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signum))
    timer.start()
    out = io.StringIO()
    try:
        call_command("outbox", "work", "--interval", "30", stdout=out)  # would wait 30 s without the signal
    finally:
        timer.cancel()
    assert "Distribution des e-mails arrêtée après 1 passage(s)." in out.getvalue()
    assert len(mail.outbox) == 2
    assert signal.getsignal(signum) is before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--interval", "0"], "--interval"),
        (["--max-iterations", "0"], "--max-iterations"),
        (["--limit", "0"], "--limit"),
    ],
)
def test_bad_options_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("outbox", "work", *args)
