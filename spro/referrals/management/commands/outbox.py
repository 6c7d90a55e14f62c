"""`spro outbox send [--limit N]` and `spro outbox work [--interval S] [--once]`: deliver the outbox's e-mails.

`send` makes one pass and exits 0 even when the mail server refuses: the messages stay in the outbox with their next
attempt date and the last error. `work` is the long-running worker (`make run` starts it beside the development
server; docs/deploy.md has the production service): a pass every `--interval` seconds, a clean exit on SIGTERM or
SIGINT (Ctrl-C) between two messages.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from spro.referrals import outbox


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox (retry with backoff on failure); `work` keeps doing it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send", "work"])
        parser.add_argument(
            "--limit", type=int, default=200, help="at most this many messages a pass (default 200)"
        )
        parser.add_argument(
            "--interval", type=float, default=10.0, help="work: seconds between two passes (default 10)"
        )
        parser.add_argument("--once", action="store_true", help="work: one pass, then exit")
        parser.add_argument(
            "--max-iterations", type=int, default=None, help="work: exit after this many passes"
        )

    def handle(self, *args, action: str, limit: int = 200, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        if action == "work":
            self.work(limit=limit, **options)
            return
        report = outbox.send_due(limit=limit)
        self.stdout.write(
            f"{report.sent} message(s) envoyé(s), {report.failed} en échec (nouvel essai prévu), "
            f"{report.pending} en attente."
        )

    def work(self, *, limit: int, interval: float, once: bool, max_iterations: int | None, **options) -> None:
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        if max_iterations is not None and max_iterations < 1:
            raise CommandError("--max-iterations must be at least 1")
        stop = threading.Event()

        def request_stop(signum, frame) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            passes = outbox.work(
                interval=interval, limit=limit, max_iterations=1 if once else max_iterations, stop=stop
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Distribution des e-mails arrêtée après {passes} passage(s).")
