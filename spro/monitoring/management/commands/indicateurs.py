"""`spro indicateurs check | reconstruire [--indicateur CODE] | doc | exporter | donnees-ouvertes`: the indicators.

check: validates the packaged declarations and the Region's folder (`<SPRO_ANSWER_RULES_DIR>/indicateurs/`), every
error on its own line (file, line, field), exit code 1 on error. reconstruire: recomputes the rollups from their
sources in one transaction (after a bulk load made without the hooks, or to check the incremental ones). doc: prints
the indicators' section of docs/pilotage.md, generated from the declarations. exporter: one table (every structure,
small counts hidden) as CSV, ODS or XLSX into `--sortie`. donnees-ouvertes: the open data of the public indicators
(one CSV each and dictionnaire.md) into the folder `--sortie`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.core import rulefiles
from spro.monitoring import declarations, docs, exports, query, rollups


class Command(BaseCommand):
    help = (
        "Indicateurs du pilotage. check : valide les déclarations ; reconstruire : recalcule les agrégats depuis "
        "les sources ; doc : la liste des indicateurs en Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["check", "reconstruire", "doc", "exporter", "donnees-ouvertes"]
        )
        parser.add_argument("--indicateur", action="append", help="reconstruire, exporter : cet indicateur")
        parser.add_argument("--format", default="csv", help="exporter : csv, ods ou xlsx")
        parser.add_argument("--ventilation", help="exporter : une ventilation de l’indicateur")
        parser.add_argument("--niveau", help="exporter : une ligne par territoire de ce niveau")
        parser.add_argument("--territoire", help="exporter : filtre niveau:code (departement:35)")
        parser.add_argument("--debut", help="exporter : premier mois, AAAA-MM")
        parser.add_argument("--fin", help="exporter : dernier mois, AAAA-MM")
        parser.add_argument("--sortie", type=Path, help="exporter : fichier ; donnees-ouvertes : dossier")

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
        elif action == "doc":
            self.stdout.write(docs.indicators_markdown(loaded))
        elif action == "exporter":
            self._export(options)
        else:
            if options.get("sortie") is None:
                raise CommandError("--sortie : indiquez le dossier des données ouvertes")
            for path in exports.write_open_data(options["sortie"]):
                self.stdout.write(f"écrit : {path}")

    def _export(self, options: dict[str, Any]) -> None:
        codes = options.get("indicateur") or []
        if len(codes) != 1 or options.get("sortie") is None:
            raise CommandError("exporter : indiquez un --indicateur et le fichier --sortie")
        territory = None
        if options.get("territoire"):
            level, _sep, code = options["territoire"].partition(":")
            territory = (level, code)
        try:
            result = query.run(
                codes[0],
                query.Scope(None, public_only=False),
                breakdown=options.get("ventilation"),
                level=options.get("niveau"),
                territory=territory,
                months=query.period(options.get("debut"), options.get("fin")),
            )
            content = exports.export(result, options["format"])
        except (ValueError, LookupError, KeyError) as error:
            raise CommandError(str(error).strip("'\"")) from None
        options["sortie"].write_bytes(content)
        self.stdout.write(f"écrit : {options['sortie']}")
