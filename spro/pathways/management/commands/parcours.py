"""`spro parcours check [DOSSIER]`: validates the catalogue of « Mon parcours » (axes, steps, actions), the packaged
files merged with a Region's folder (`DOSSIER`, by default `<SPRO_ANSWER_RULES_DIR>/parcours/`). Every problem on
its own line (file, line, field); exit code 1 when there is one.

`spro parcours purger [--dry-run] [--json]`: retention of the pathways (spro/pathways/retention.py). A pathway
neither opened by the person nor changed for SPRO_PATHWAY_RETENTION_MONTHS (24 by default), and held by no
accompaniment, is deleted. Idempotent (a second run says 0); each run is logged and writes one audit record;
`--dry-run` counts without writing anything. Schedule it daily (cron, systemd timer).
"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.pathways import catalogue, retention
from spro.referrals.services import purge_erased_data


class Command(BaseCommand):
    help = (
        "Catalogue des parcours (axes, étapes, actions types) et durée de conservation. "
        "check : valide les fichiers fournis et ceux de la Région. "
        "purger : efface les parcours sans visite ni modification depuis SPRO_PATHWAY_RETENTION_MONTHS mois "
        "(24 par défaut) et liés à aucun accompagnement ; --dry-run compte sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "purger"])
        parser.add_argument(
            "dossier",
            nargs="?",
            type=Path,
            help="check : dossier de la Région (par défaut : <SPRO_ANSWER_RULES_DIR>/parcours/)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="purger : compte les parcours à effacer, n’écrit rien"
        )
        parser.add_argument("--json", action="store_true", help="purger : un document JSON sur la sortie")

    def handle(
        self,
        *args: Any,
        action: str,
        dossier: Path | None = None,
        dry_run: bool = False,
        json: bool = False,
        **options: Any,
    ) -> None:
        if action == "purger":
            if dossier is not None:
                raise CommandError("purger ne prend pas de dossier")
            self._purge(dry_run=dry_run, as_json=json)
            return
        if dry_run or json:
            raise CommandError("--dry-run et --json ne servent qu’avec purger")
        self._check(dossier)

    def _purge(self, *, dry_run: bool, as_json: bool) -> None:
        months = retention.retention_months()
        if dry_run:
            count = retention.due_for_purge().count()
            text = (
                f"{count} parcours à effacer (sans visite ni modification depuis {months} mois) ; "
                "rien n’a été écrit."
            )
        else:
            count = retention.purge_due()
            text = f"{count} parcours effacé(s) (sans visite ni modification depuis {months} mois)."
            purge = purge_erased_data() if count else ""
            if purge:
                text += f" {purge[0].upper()}{purge[1:]}."
        result = {"a_effacer" if dry_run else "effaces": count, "conservation_mois": months, "essai": dry_run}
        self.stdout.write(jsonlib.dumps(result, ensure_ascii=False) if as_json else text)

    def _check(self, dossier: Path | None) -> None:
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
