"""`spro avis …`: the users' view (docs/avis.md).

spro avis relances [--date AAAA-MM-JJ] [--dry-run]
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from spro.feedback import followup


class Command(BaseCommand):
    help = "Avis des usagers : messages de suivi à 3 et 6 mois."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rel = sub.add_parser("relances", help="mettre en file les messages de suivi à 3 et 6 mois dus")
        rel.add_argument("--date", default="", dest="on", help="AAAA-MM-JJ (défaut : aujourd’hui)")
        rel.add_argument(
            "--dry-run", action="store_true", help="dire ce qui serait envoyé, sans rien envoyer"
        )

    def handle(self, *args, action: str, **options):
        getattr(self, "_" + action)(**options)

    def _relances(self, *, on: str, dry_run: bool, **_):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--date {on!r} : une date AAAA-MM-JJ est attendue") from None
        run = followup.queue_due(day, dry_run=dry_run)
        three = sum(1 for _, months in run.queued if months == 3)
        six = sum(1 for _, months in run.queued if months == 6)
        verb = "seraient mis" if dry_run else "mis"
        self.stdout.write(f"{three} message(s) à 3 mois et {six} message(s) à 6 mois {verb} en file.")
