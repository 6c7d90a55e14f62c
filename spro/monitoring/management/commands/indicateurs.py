"""`spro indicateurs check | reconstruire [--indicateur CODE] | doc`: the monitoring indicators.

check: validates the packaged declarations and the Region's folder (`<SPRO_ANSWER_RULES_DIR>/indicateurs/`), every
error on its own line (file, line, field), exit code 1 on error. reconstruire: recomputes the rollups from their
sources in one transaction (after a bulk load made without the hooks, or to check the incremental ones). doc: prints
the indicators' section of docs/pilotage.md, generated from the declarations.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.core import rulefiles
from spro.monitoring import declarations, docs, rollups


class Command(BaseCommand):
    help = (
        "Indicateurs du pilotage. check : valide les déclarations ; reconstruire : recalcule les agrégats depuis "
        "les sources ; doc : la liste des indicateurs en Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "reconstruire", "doc"])
        parser.add_argument("--indicateur", action="append", help="reconstruire : cet indicateur seulement")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        region = rulefiles.region_rules_folder(declarations.REGION_SUBFOLDER)
        try:
            loaded = declarations.build(declarations.PACKAGED, region)
        except declarations.IndicatorError as error:
            raise CommandError(f"déclarations invalides :\n{error}") from None
        if action == "check":
            available = sum(1 for i in loaded.indicators if i.disponible)
            self.stdout.write(
                f"{len(loaded.indicators)} indicateurs valides ({available} calculés, "
                f"{len(loaded.indicators) - available} déclarés sans source)"
            )
        elif action == "reconstruire":
            try:
                written = rollups.rebuild(options.get("indicateur"))
            except ValueError as error:
                raise CommandError(str(error)) from None
            for code, rows in written.items():
                self.stdout.write(f"{code} : {rows} lignes d’agrégats reconstruites")
        else:
            self.stdout.write(docs.indicators_markdown(loaded))
