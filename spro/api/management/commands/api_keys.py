"""`spro api_keys generate NAME | hash | list`: partner keys for the public API, configured hashed.

The platform never stores a clear key: the operator gives the key to the partner and puts only `NAME:<SHA-256>` in
`SPRO_API_KEYS` (the environment of every app server). Revoking a key is removing its entry and restarting.
"""

from __future__ import annotations

import secrets
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from spro.api.ratelimit import _NAME, configured_key_rate, configured_keys, hash_key


class Command(BaseCommand):
    help = (
        "Clés d’API des partenaires (stockées sous forme d’empreinte SHA-256 dans SPRO_API_KEYS). "
        "generate NAME : crée une clé et affiche l’entrée à ajouter ; hash : empreinte d’une clé lue sur l’entrée "
        "standard ; list : les clés configurées (nom et début d’empreinte)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "hash", "list"])
        parser.add_argument("name", nargs="?", help="nom du partenaire (lettres, chiffres, . _ -)")

    def handle(self, *args, action: str, name: str | None = None, **options) -> None:
        if action == "list":
            try:
                keys = configured_keys()
                rate = configured_key_rate()
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from None
            if not keys:
                self.stdout.write("Aucune clé configurée (SPRO_API_KEYS est vide).")
            for key in keys:
                self.stdout.write(f"{key.name}\t{key.digest[:12]}…")
            self.stdout.write(f"Limite par clé : {rate.label() if rate else 'aucune'}.")
            return
        if not name or not _NAME.match(name):
            raise CommandError("NAME : 1 à 64 lettres, chiffres, « . », « _ » ou « - ».")
        if action == "hash":
            key = sys.stdin.readline().strip()
            if not key:
                raise CommandError("hash : écrivez la clé sur l’entrée standard.")
        else:
            key = secrets.token_urlsafe(32)
            self.stdout.write(f"Clé à remettre au partenaire (affichée une seule fois) : {key}")
        self.stdout.write(f"Entrée à ajouter à SPRO_API_KEYS : {name}:{hash_key(key)}")
