"""`spro parcours check [DOSSIER]`: validates the catalogue of « Mon parcours » (axes, steps, actions), the packaged
files merged with a Region's folder (`DOSSIER`, by default `<SPRO_ANSWER_RULES_DIR>/parcours/`). Every problem on
its own line (file, line, field); exit code 1 when there is one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.pathways import catalogue


class Command(BaseCommand):
    help = (
        "Catalogue des parcours (axes, étapes, actions types). "
        "check : valide les fichiers fournis et ceux de la Région."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument(
            "dossier",
            nargs="?",
            type=Path,
            help="dossier de la Région (par défaut : <SPRO_ANSWER_RULES_DIR>/parcours/)",
        )

    def handle(self, *args: Any, action: str, dossier: Path | None = None, **options: Any) -> None:
        if dossier is not None and not dossier.is_dir():
            raise CommandError(f"{dossier} : dossier introuvable")
        region = dossier or catalogue.region_directory()
        problems = catalogue.check(region=region)
        for message in problems:
            self.stderr.write(message)
        if problems:
            raise CommandError(f"{len(problems)} erreur(s) dans le catalogue des parcours")
        current = catalogue.build(catalogue.PACKAGED_DIRECTORY, region)
        where = str(catalogue.PACKAGED_DIRECTORY) + (
            f" et {region}" if region is not None and region.is_dir() else ""
        )
        self.stdout.write(
            f"Catalogue valide : {len(current.axes)} axe(s), {len(current.objectifs)} étape(s), "
            f"{len(current.actions)} action(s) ({where})."
        )
