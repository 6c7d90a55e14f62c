"""`spro conventions calendrier …` and `spro conventions alertes [--dry-run]`.

calendrier: prints a convention's computed life from its dates (contract in docs/gouvernance.md, « Dates d’une
convention »): `--effet AAAA-MM-JJ --cprdfop-fin AAAA-MM-JJ [--denonciation AAAA-MM-JJ] [--au AAAA-MM-JJ] [--json]`.
A bad or missing date is a French error and exit code 1.

alertes: queues the e-mails announcing a tacit renewal or the end of a notice period to the Region's pilots, each
alert once only (docs/gouvernance.md, « Alertes »); `--dry-run` lists them without queueing or recording anything.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from spro.governance import calendar


class Command(BaseCommand):
    help = (
        "Conventions du SPRO. calendrier : calcule les périodes, la fin et la prochaine reconduction d’une "
        "convention à partir de ses dates ; alertes : envoie les alertes de reconduction et de fin de préavis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["calendrier", "alertes"])
        parser.add_argument("--effet", help="calendrier : date d’effet (AAAA-MM-JJ)")
        parser.add_argument("--cprdfop-fin", dest="cprdfop_fin", help="calendrier : date de fin du CPRDFOP")
        parser.add_argument("--denonciation", help="calendrier : date d’envoi de la dénonciation")
        parser.add_argument("--au", help="calendrier : jour de référence (par défaut : aujourd’hui)")
        parser.add_argument("--json", action="store_true", help="calendrier : un document JSON sur la sortie")
        parser.add_argument("--dry-run", action="store_true", help="alertes : lister sans rien envoyer")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "calendrier":
            self._calendar(options)
        else:
            self._alerts(dry_run=options["dry_run"])

    def _calendar(self, options: dict[str, Any]) -> None:
        missing = [
            flag for flag, key in (("--effet", "effet"), ("--cprdfop-fin", "cprdfop_fin")) if not options[key]
        ]
        if missing:
            raise CommandError(f"Indiquez {' et '.join(missing)} (dates au format AAAA-MM-JJ).")
        try:
            effect = calendar.parse_date(options["effet"], "--effet")
            cprdfop_end = calendar.parse_date(options["cprdfop_fin"], "--cprdfop-fin")
            notice = (
                calendar.parse_date(options["denonciation"], "--denonciation")
                if options["denonciation"] is not None
                else None
            )
            on = calendar.parse_date(options["au"], "--au") if options["au"] is not None else None
            result = calendar.life(effect, cprdfop_end, notice=notice, on=on)
        except calendar.CalendarError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        for number, period in enumerate(result.periods, start=1):
            self.stdout.write(f"Période {number} : du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}")
        reason = "fin du CPRDFOP" if result.end_reason == calendar.END_CPRDFOP else "dénonciation"
        self.stdout.write(f"Fin : {result.end:%d/%m/%Y} ({reason})")
        if result.next_renewal:
            self.stdout.write(f"Prochaine reconduction tacite : {result.next_renewal:%d/%m/%Y}")
        else:
            self.stdout.write("Prochaine reconduction tacite : aucune")

    def _alerts(self, *, dry_run: bool) -> None:
        from spro.governance import alerts

        due = alerts.run(dry_run=dry_run)
        for alert in due:
            self.stdout.write(f"{'À ENVOYER' if dry_run else 'ENVOYÉE'}  {alert.describe()}")
        verb = "à envoyer" if dry_run else "envoyée(s)"
        self.stdout.write(f"{len(due)} alerte(s) {verb}.")
