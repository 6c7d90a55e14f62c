"""`spro accompagnements anonymiser [--dry-run] [--json]`: retention of the accompaniments.

An accompaniment closed for more than SPRO_ACCOMPANIMENT_RETENTION_MONTHS (24 by default) is anonymised: the
person's first name and contact, the notes' text and the schemes' comments are erased; the codes (status, outcome,
CEP level, stage and outcome, scheme codes and dates) stay for the statistics. Idempotent (a second run says 0),
each anonymisation is logged in the accompaniment's log; `--dry-run` counts without writing anything. Schedule it
daily (cron, systemd timer), next to `spro referrals anonymise`.
"""

from __future__ import annotations

import json
import logging

from django.core.management.base import BaseCommand

from spro.accompaniment import services
from spro.referrals.services import purge_erased_data

logger = logging.getLogger("spro.accompaniment")


class Command(BaseCommand):
    help = (
        "Accompaniments' retention. anonymiser: erase the personal data of the accompaniments closed for more than "
        "SPRO_ACCOMPANIMENT_RETENTION_MONTHS (default 24); --dry-run counts them without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["anonymiser"])
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be anonymised, write nothing"
        )
        parser.add_argument("--json", action="store_true", help="one JSON document on stdout")

    def handle(self, *args, action: str, dry_run: bool = False, json: bool = False, **options):
        months = services.retention_months()
        if dry_run:
            count = services.due_for_anonymisation().count()
            text = f"{count} accompagnement(s) à anonymiser (clos depuis plus de {months} mois) ; rien n’a été écrit."
        else:
            count = services.anonymise_due()
            text = f"{count} accompagnement(s) anonymisé(s) (clos depuis plus de {months} mois)."
            purge = purge_erased_data() if count else ""
            if purge:
                text += f" {purge[0].upper()}{purge[1:]}."
            logger.info("accompaniments anonymised: %d (retention %d months)", count, months)
        result = {
            "anonymises" if not dry_run else "a_anonymiser": count,
            "conservation_mois": months,
            "essai": dry_run,
        }
        self.stdout.write(_dumps(result) if json else text)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
