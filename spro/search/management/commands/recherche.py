"""`spro recherche [--type T] [--commune C] [--rayon-km N] [--limit N] --json "QUERY"` and
`spro recherche --json --batch FILE.jsonl`: the same JSON as the API (SearchResponse.as_dict()), with the same
parameters and limits (spro/search/params.py): a parameter beyond them prints `code: detail` and exits 2.

The commune (option or batch key) is read by the one resolver as the API reads it: an INSEE code, a name, a postal
code or both (docs/communes.md). Unknown or ambiguous: `code: detail` and the choices on stderr, exit code 2; in a
batch, an error line with `choix` like the API's 400.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spro.referentials.geo.cli import CommuneNotSettled, command_line_commune
from spro.search.params import MAX_PAGE, MAX_PAR_PAGE, MAX_RAYON_KM, TYPES, InvalidQuery
from spro.search.service import search

#: Keys of a batch line that map to search() parameters ("q" is the query).
BATCH_KEYS = {
    "type",
    "niveau",
    "modalite",
    "commune",
    "rayon_km",
    "departement",
    "region",
    "public",
    "domaine",
    "tri",
    "page",
    "par_page",
}


class Command(BaseCommand):
    help = "Search métiers, formations and certifications; prints the API's JSON with --json."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default=None, help="the query text")
        parser.add_argument("--type", choices=list(TYPES))
        parser.add_argument(
            "--commune",
            help="the commune (centre of the radius): name, postal code or both, or INSEE code (Brest, 29200, 29019)",
        )
        parser.add_argument(
            "--rayon-km",
            type=float,
            dest="rayon_km",
            help=f"radius around the commune, 0 < km ≤ {MAX_RAYON_KM}",
        )
        parser.add_argument("--niveau")
        parser.add_argument("--modalite")
        parser.add_argument("--departement")
        parser.add_argument("--region")
        parser.add_argument("--public")
        parser.add_argument("--domaine")
        parser.add_argument("--tri", default="pertinence", choices=["pertinence", "distance"])
        parser.add_argument("--page", type=int, default=1, help=f"page number, 1 … {MAX_PAGE}")
        parser.add_argument(
            "--limit", type=int, default=10, help=f"results per page (par_page), 1 … {MAX_PAR_PAGE}"
        )
        parser.add_argument("--json", action="store_true", help="print JSON (one line per query)")
        parser.add_argument("--batch", type=Path, help='a JSONL file: one {"q": ..., ...} per line')

    def handle(self, *args, query=None, batch=None, json=False, limit=10, **options):
        if batch is not None:
            if query:
                raise CommandError("give either QUERY or --batch FILE, not both")
            self._batch(batch, as_json=json)
            return
        if query is None:
            raise CommandError('give a QUERY (e.g. spro recherche --json "infirmiere") or --batch FILE.jsonl')
        params = {k: options.get(k) for k in BATCH_KEYS - {"par_page"} if options.get(k) is not None}
        try:
            _resolve_commune(params)
        except CommuneNotSettled as exc:
            self.stderr.write("\n".join(exc.lines()))
            sys.exit(2)
        try:
            response = search(query, par_page=limit, **params)
        except InvalidQuery as exc:
            self.stderr.write(f"{exc.code}: {exc.detail}")
            sys.exit(2)
        self._print(response.as_dict(), as_json=json)

    def _batch(self, path: Path, as_json: bool) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read ({exc})") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = _loads(line)
            except ValueError as exc:
                raise CommandError(f"{path}:{number}: not a JSON object ({exc})") from exc
            if not isinstance(item, dict) or not isinstance(item.get("q", ""), str):
                raise CommandError(f'{path}:{number}: expected an object like {{"q": "...", "type": ...}}')
            unknown = set(item) - BATCH_KEYS - {"q", "limit"}
            if unknown:
                raise CommandError(f"{path}:{number}: unknown key(s) {', '.join(sorted(unknown))}")
            params = {k: v for k, v in item.items() if k in BATCH_KEYS and v is not None}
            if "limit" in item:
                params["par_page"] = item["limit"]
            try:
                _resolve_commune(params)
                result = search(item.get("q", ""), **params).as_dict()
            except InvalidQuery as exc:
                result = {"q": item.get("q", ""), "detail": exc.detail, "code": exc.code}
            except CommuneNotSettled as exc:
                result = {"q": item.get("q", ""), **exc.as_dict()}
            self._print(result, as_json=as_json)

    def _print(self, data: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if "code" in data and "resultats" not in data:
            self.stdout.write(f"{data['q']!r}: {data['code']}: {data['detail']}")
            for choice in data.get("choix", ()):
                self.stdout.write(f"  {choice['code_insee']}  {choice['libelle']}")
            return
        self.stdout.write(f"{data['total']} résultat(s) pour {data['q']!r}")
        for hit in data["resultats"]:
            self.stdout.write(f"  {hit['score']:8.3f}  {hit['type']:13} {hit['code']:22} {hit['titre']}")
        if data.get("suggestion"):
            self.stdout.write(f"Essayez : {data['suggestion']}")


def _resolve_commune(params: dict) -> None:
    """Replace a commune given as text by its INSEE code (the service takes codes); a blank one is no commune.

    Non-text values are left to the service, which rejects them with its own code.
    """
    value = params.get("commune")
    if isinstance(value, str):
        if value.strip():
            params["commune"] = command_line_commune(value).code_insee
        else:
            del params["commune"]


def _loads(line: str):
    return json.loads(line)
