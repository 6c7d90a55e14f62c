"""`spro outbox send [--limit N]`: deliver the e-mails waiting in the outbox, retrying failed ones later.

Exits 0 even when the mail server refuses: the messages stay in the outbox with their next attempt date and the
last error; run the command again (every minute from cron) and they go out once the server answers.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from spro.referrals import outbox


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox (retry with backoff on failure)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--limit", type=int, default=200, help="at most this many messages (default 200)")

    def handle(self, *args, action: str, limit: int = 200, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        report = outbox.send_due(limit=limit)
        self.stdout.write(
            f"{report.sent} message(s) envoyé(s), {report.failed} en échec (nouvel essai prévu), "
            f"{report.pending} en attente."
        )
