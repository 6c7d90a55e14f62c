"""`spro dispositifs check [--region DOSSIER]` and `spro dispositifs link-check [--json]`: the Region's catalogue.

check: validates the national catalogue and the Region's folder (`<SPRO_ANSWER_RULES_DIR>/dispositifs/`, or
`--region`); every error on its own line (file, line, field), warnings after them; exit code 1 when there is an
error, 0 with warnings only. link-check: requests each scheme's source link and lists the dead ones; exit code 1
when one is dead, so that a scheduled job can alert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.aides import catalogue, linkcheck


class Command(BaseCommand):
    help = (
        "Catalogue des dispositifs et des aides. check : valide le catalogue national et le dossier de la Région ; "
        "link-check : signale les liens de source qui ne répondent plus."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "link-check"])
        parser.add_argument(
            "--region",
            type=Path,
            help="dossier des dispositifs de la Région (par défaut : <SPRO_ANSWER_RULES_DIR>/dispositifs/)",
        )
        parser.add_argument(
            "--national",
            type=Path,
            help=f"dossier du catalogue national (par défaut : {catalogue.NATIONAL_DIRECTORY})",
        )
        parser.add_argument("--json", action="store_true", help="link-check : un document JSON sur la sortie")
        parser.add_argument(
            "--timeout", type=float, default=linkcheck.TIMEOUT_SECONDS, help="link-check : secondes par lien"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        region: Path | None = options.get("region") or catalogue.region_directory()
        national: Path = options.get("national") or catalogue.NATIONAL_DIRECTORY
        if options.get("region") is not None and not region.is_dir():  # type: ignore[union-attr]
            raise CommandError(f"{region} : dossier introuvable")
        if not national.is_dir():
            raise CommandError(f"{national} : dossier introuvable")
        if action == "check":
            self._check(national, region)
        else:
            self._link_check(national, region, as_json=options["json"], timeout=options["timeout"])

    def _check(self, national: Path, region: Path | None) -> None:
        report = catalogue.check(national, region)
        for message in report.errors:
            self.stderr.write(message)
        for message in report.warnings:
            self.stdout.write(message)
        if report.errors:
            raise CommandError(f"{len(report.errors)} erreur(s) dans le catalogue des dispositifs")
        where = f"{national}" + (f" et {region}" if region is not None and region.is_dir() else "")
        replaced = f" ; la Région remplace : {', '.join(report.overrides)}" if report.overrides else ""
        self.stdout.write(
            f"Catalogue valide : {report.checked} fichier(s), {len(report.warnings)} avertissement(s) "
            f"({where}){replaced}."
        )

    def _link_check(self, national: Path, region: Path | None, *, as_json: bool, timeout: float) -> None:
        try:
            current = catalogue.build(national, region)
        except catalogue.DispositifError as error:
            for message in str(error).splitlines():
                self.stderr.write(message)
            raise CommandError(
                "catalogue invalide : corrigez-le (spro dispositifs check) avant de vérifier les liens"
            ) from None
        results = linkcheck.check_links(current.dispositifs, timeout=timeout)
        dead = [r for r in results if not r.ok]
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "verifies": len(results),
                        "morts": [
                            {"id": r.id, "url": r.url, "statut": r.status, "detail": r.detail} for r in dead
                        ],
                        "rediriges": [
                            {"id": r.id, "url": r.url, "vers": r.final_url}
                            for r in results
                            if r.ok and r.final_url
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            for r in results:
                if not r.ok:
                    self.stdout.write(f"MORT  {r.id}  {r.url}  ({r.detail})")
                elif r.final_url:
                    self.stdout.write(f"REDIRIGÉ  {r.id}  {r.url}  → {r.final_url}")
            self.stdout.write(f"{len(results)} lien(s) vérifié(s), {len(dead)} mort(s).")
        if dead:
            raise CommandError(f"{len(dead)} lien(s) de source mort(s)")
