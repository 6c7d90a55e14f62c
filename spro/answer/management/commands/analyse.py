"""`spro analyse [--age N] [--statut S] [--handicap] [--commune C] --json "TEXT"` and
`spro analyse --json --batch FILE.jsonl`: the first personalised answer, the same JSON as `POST /api/v1/analyse`.

Conventions (as `spro recherche`): one JSON line per answer with --json, a readable French summary without it.
Bad input for a single text: one line `code: detail` on stderr and exit code 2. In a batch, a bad line gives a JSON
error line `{"ligne": n, "detail": ..., "code": ...}` and the batch goes on; the command then exits with code 1, so
that a script sees that some lines failed. An unreadable file stops at once (CommandError, exit code 1).
Nothing is recorded in the statistics: the command line is for partners' tests and the bench, not the public.
The commune is read by the one resolver (docs/communes.md): an INSEE code, a name, a postal code or both; unknown or
ambiguous is `code: detail` on stderr followed by the choices (exit code 2), and a batch error line carries `choix`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spro.answer.service import answer
from spro.answer.types import AnswerError
from spro.core.vocabularies.besoins import BESOIN_PUBLIC_LABELS
from spro.referentials.geo.cli import CommuneNotSettled, command_line_commune

BATCH_KEYS = {"text", "profile"}


class Command(BaseCommand):
    help = "Première réponse personnalisée à une demande écrite librement ; le JSON de l’API avec --json."

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", default=None, help="la demande, entre guillemets")
        parser.add_argument("--age", type=int, help="âge de la personne (10 à 100)")
        parser.add_argument(
            "--statut",
            help="collegien, lyceen, etudiant, salarie, demandeur-emploi, independant, sans-activite",
        )
        parser.add_argument(
            "--handicap", action="store_true", help="la personne est en situation de handicap"
        )
        parser.add_argument(
            "--commune",
            help="commune de la personne : nom, code postal ou les deux, ou code INSEE (Brest, 29200, 29019)",
        )
        parser.add_argument("--model", help="modèle d’embeddings facultatif pour reclasser les métiers")
        parser.add_argument("--json", action="store_true", help="une ligne JSON par réponse")
        parser.add_argument(
            "--batch", type=Path, help='un fichier JSONL : un {"text": ..., "profile": {...}} par ligne'
        )

    def handle(self, *args: Any, text: str | None = None, batch: Path | None = None, **options: Any) -> None:
        as_json = options["json"]
        model = options.get("model")
        if batch is not None:
            if text is not None:
                raise CommandError("donnez soit TEXTE, soit --batch FICHIER, pas les deux")
            if self._batch(batch, as_json=as_json, model=model):
                sys.exit(1)
            return
        if text is None:
            raise CommandError(
                'donnez un TEXTE (ex. spro analyse --json "je veux devenir infirmière") ou --batch FICHIER.jsonl'
            )
        profile: dict[str, Any] = {}
        for key in ("age", "statut", "commune"):
            if options.get(key) is not None:
                profile[key] = options[key]
        if options.get("handicap"):
            profile["handicap"] = True
        if profile.get("commune", "").strip():
            try:
                profile["commune"] = command_line_commune(profile["commune"]).code_insee
            except CommuneNotSettled as exc:
                self.stderr.write("\n".join(exc.lines()))
                sys.exit(2)
        try:
            result = answer(text, profile, model=model).as_dict()
        except AnswerError as exc:
            self.stderr.write(f"{exc.code}: {exc.detail}")
            sys.exit(2)
        self._print(result, as_json=as_json)

    def _batch(self, path: Path, *, as_json: bool, model: str | None) -> int:
        """Answer each line; returns the number of bad lines."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} : lecture impossible ({exc.__class__.__name__})") from None
        failures = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            error: AnswerError | None
            try:
                item = json.loads(line)
            except ValueError:
                item = None
                error = AnswerError("la ligne n’est pas un JSON valide", "json-invalide")
            else:
                error = None
            if error is None and (not isinstance(item, dict) or set(item) - BATCH_KEYS):
                error = AnswerError('attendu un objet {"text": ..., "profile": {...}}', "ligne-invalide")
            if error is None:
                try:
                    result = answer(item.get("text"), item.get("profile"), model=model).as_dict()
                except AnswerError as exc:
                    error = exc
            if error is not None:
                failures += 1
                result = {"ligne": number, "detail": error.detail, "code": error.code}
                result.update(getattr(error, "extra", None) or {})  # `choix` of an ambiguous commune
            self._print(result, as_json=as_json)
        return failures

    def _print(self, data: dict[str, Any], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if "ligne" in data:
            self.stdout.write(f"ligne {data['ligne']} : {data['code']}: {data['detail']}")
            for choice in data.get("choix", ()):
                self.stdout.write(f"  {choice['code_insee']}  {choice['libelle']}")
            return
        out = [f"Avertissement : {warning}" for warning in data["avertissements"]]
        out.append(
            "Besoins : "
            + ("; ".join(BESOIN_PUBLIC_LABELS.get(b["code"], b["code"]) for b in data["besoins"]) or "—")
        )
        if data["metiers"]:
            out.append("Métiers :")
            out += [f"  {m['code_rome']}  {m['libelle']} ({m['appellation']})" for m in data["metiers"]]
        if data["orientations"]:
            out.append("Structures à contacter :")
            for orientation in data["orientations"]:
                out.append(f"  {orientation['typologie']} : {orientation['raison']}")
                for s in orientation["structures"]:
                    distance = f" – {s['distance_km']:g} km" if s["distance_km"] is not None else ""
                    out.append(f"    - {s['nom']}, {s['commune']}{distance}")
        if data["etapes"]:
            out.append("Étapes :")
            out += [f"  {n}. {step}" for n, step in enumerate(data["etapes"], start=1)]
        self.stdout.write("\n".join(out))
