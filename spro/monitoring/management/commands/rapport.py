"""`spro rapport annuel --annee AAAA --output FICHIER [--format pdf|odt]`: the SPRO's yearly activity report for the
CREFOP (docs/rapport-annuel.md), every structure of the platform, written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.monitoring import report


class Command(BaseCommand):
    help = "Rapport annuel d’activité du SPRO pour le CREFOP (PDF ou ODT), établi à partir des données."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["annuel"])
        parser.add_argument("--annee", required=True, help="l’année du rapport, AAAA")
        parser.add_argument(
            "--output", "--sortie", dest="output", type=Path, required=True, help="le fichier écrit"
        )
        parser.add_argument("--format", help="pdf ou odt (par défaut : l’extension du fichier)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        try:
            year = report.check_year(options["annee"])
            fmt = report.format_of(path, options.get("format"))
            size = report.write(year, path, fmt)
        except report.ReportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"écrit : {path} ({fmt.upper()}, {size} octets), rapport annuel {year}")
