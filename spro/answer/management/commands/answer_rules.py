"""`spro answer_rules check [PATH]`: validate the routing rule files (a folder, or one file) before deploying them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spro.answer import needs
from spro.answer.rules import FILES, LINKS_FILE, check, rules_directory

NEEDS_FILE = "besoins.yaml"


class Command(BaseCommand):
    help = (
        "Valide les fichiers de règles de la réponse personnalisée (orientations.yaml, etapes.yaml, ressources.yaml, "
        "et besoins.yaml et liens.yaml quand ils sont présents). "
        "PATH : un dossier ou un fichier ; par défaut le dossier utilisé par la plateforme."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("path", nargs="?", help="dossier ou fichier de règles")

    def handle(self, *args, action: str, path: str | None = None, **options) -> None:
        target = Path(path) if path else rules_directory()
        if not target.exists():
            raise CommandError(f"{target} : introuvable")
        lexicon = target / NEEDS_FILE if target.is_dir() else target
        errors = [] if target.is_file() and target.name == NEEDS_FILE else check(target)
        checked = [target.name] if target.is_file() else list(FILES)
        if target.is_dir() and (target / LINKS_FILE).exists():
            checked = [*(name for name in FILES if (target / name).exists()), LINKS_FILE]
        if lexicon.name == NEEDS_FILE and lexicon.exists():
            try:
                needs.parse_file(lexicon)
            except needs.BesoinsFileError as error:
                errors.extend(str(error).splitlines())
            if target.is_dir():
                checked.append(NEEDS_FILE)
        if errors:
            for message in errors:
                self.stderr.write(message)
            raise CommandError(f"{len(errors)} erreur(s) dans les règles de {target}")
        self.stdout.write(f"Règles valides : {', '.join(checked)} ({target}).")
