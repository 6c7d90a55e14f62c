"""`spro referrals expire | anonymise | stats [--json]`: retention and counts of the referrals.

`expire` and `anonymise` are idempotent (a second run changes nothing and says 0) and each change is logged in the
referral's transition log; schedule them daily (cron, systemd timer).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from spro.referrals import conf, services, stats


class Command(BaseCommand):
    help = (
        "Referral maintenance. expire: unanswered referrals past their deadline become 'expiree'. anonymise: "
        "personal data older than SPRO_REFERRAL_RETENTION_MONTHS are erased. stats: counts per structure and status."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire", "anonymise", "stats"])
        parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
        parser.add_argument(
            "--vacuum",
            action="store_true",
            help="anonymise on PostgreSQL: VACUUM the tables holding personal data afterwards (docs/referrals.md)",
        )

    def handle(self, *args, action: str, json: bool = False, vacuum: bool = False, **options):
        if action == "expire":
            count = services.expire_due()
            result = {"expirees": count, "delai_jours": conf.expiry_days()}
            text = f"{count} demande(s) expirée(s) (sans réponse après {conf.expiry_days()} jours)."
        elif action == "anonymise":
            count = services.anonymise_due()
            purge = services.purge_erased_data(vacuum=vacuum)
            result = {"anonymisees": count, "conservation_mois": conf.retention_months(), "purge": purge}
            text = f"{count} demande(s) anonymisée(s) (plus de {conf.retention_months()} mois)."
            if purge:
                text += f" {purge[0].upper()}{purge[1:]}."
        else:
            rows = stats.counts()
            result = {"structures": rows}
            lines = [
                f"{row['total']:6d}  {row['nom']}  "
                + ", ".join(f"{status} {n}" for status, n in row["statuts"].items() if n)
                for row in rows
            ]
            text = "\n".join(lines) or "Aucune demande."
        self.stdout.write(_dumps(result) if json else text)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
