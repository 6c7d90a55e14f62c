"""`spro directory remind-stale [--json]`: list the structures not verified for six months (and notify the hook)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from spro.directory.freshness import limit, remind_stale


class Command(BaseCommand):
    help = "Directory maintenance. remind-stale: list the structures whose last verification is over six months old."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind-stale"])
        parser.add_argument("--json", action="store_true", help="one JSON document on stdout")

    def handle(self, *args, action, json=False, **options):
        if action != "remind-stale":  # pragma: no cover - argparse refuses other values
            raise CommandError(f"unknown action {action!r}")
        structures, notified = remind_stale()
        rows = [
            {
                "id": s.di_id,
                "nom": s.nom,
                "commune": s.commune_nom,
                "date_verification": (s.date_verification or s.date_maj).isoformat(),
            }
            for s in structures
        ]
        if json:
            self.stdout.write(
                _dumps({"limite": limit().isoformat(), "structures": rows, "notifies": notified})
            )
            return
        self.stdout.write(f"{len(rows)} structure(s) non vérifiée(s) depuis le {limit().isoformat()} :")
        for row in rows:
            self.stdout.write(f"  {row['date_verification']}  {row['id']}  {row['nom']} ({row['commune']})")
        if rows:
            self.stdout.write(
                f"{notified} rappel(s) écrit(s) dans la boîte d'envoi pour les administrateurs de ces structures"
                " (envoyés par `spro outbox send`)."
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
