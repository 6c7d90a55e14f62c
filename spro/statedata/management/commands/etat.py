"""`spro etat import FICHIER [--json]`: import the State services' figures (docs/donnees-etat.md); exit 1 when the
file is rejected (every error listed on stderr, or in the JSON document), nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spro.statedata import importing


class Command(BaseCommand):
    help = "Données de l’État : importer les chiffres d’activité des services (CSV ; UTF-8)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="importer un fichier de chiffres (CSV ; UTF-8)")
        imp.add_argument("fichier")
        imp.add_argument("--json", action="store_true", dest="as_json", help="un document JSON sur la sortie")

    def handle(self, *args, action: str, **options):
        getattr(self, "_" + action)(**options)

    def _import(self, *, fichier: str, as_json: bool, **_):
        path = Path(fichier)
        if not path.is_file():
            raise CommandError(f"{fichier} : fichier introuvable")
        try:
            result = importing.import_file(path)
        except importing.ImportRejected as rejected:
            if as_json:
                document = importing.ImportResult(erreurs=rejected.errors).as_json()
                self.stdout.write(json.dumps(document, ensure_ascii=False))
            else:
                for problem in rejected.errors:
                    self.stderr.write(f"{path.name}, {problem}")
            raise CommandError(
                f"fichier rejeté : {len(rejected.errors)} erreur(s), rien n’a été écrit", returncode=1
            ) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{path.name} : {result.creees} créée(s), {result.remplacees} remplacée(s), "
                f"{result.inchangees} inchangée(s)."
            )
