"""Encryption at rest of personal data, and keyed hashes to match identities without storing them in clear.

Used by the dropout lists (spro/dropouts, docs/decrochage.md): contact details, names and the INE are stored as
Fernet tokens (AES-128-CBC + HMAC-SHA256, from `cryptography`); names + birth date and the INE are matched through
an HMAC-SHA256 of their normalised form, so that no index holds a name in clear.

Keys come from the environment (spro/settings.py):
- `SPRO_DROPOUT_KEYS`: Fernet keys separated by commas. The first encrypts; all decrypt. Rotation: put a new key
  first, keep the old ones after it, run `spro decrochage rechiffrer` (every value encrypted again with the first
  key), then remove the old keys.
- `SPRO_DROPOUT_HMAC_KEY`: the key of the matching hashes (at least 32 characters). Changing it makes every known
  identity unmatchable until the hashes are computed again; it is not rotated by `rechiffrer`.

Outside production, when a variable is empty, a key is derived from `SECRET_KEY` (`derived_key`): tests and the
development server work without configuration, and that key is worthless once `SECRET_KEY` is secret and
random. In production an empty variable raises `ImproperlyConfigured` at the first use.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

#: Marks an encrypted value in the database, so that a clear value is never mistaken for a token (and vice versa).
PREFIX = "enc1:"


class DecryptionError(ValueError):
    """A stored value cannot be decrypted with any configured key (a key removed too early, or altered data)."""


def derived_key(purpose: str) -> bytes:
    """A key derived from SECRET_KEY for development and tests only (never in production)."""
    return _derive(purpose, settings.SECRET_KEY)


@functools.lru_cache(maxsize=8)
def _derive(purpose: str, secret: str) -> bytes:
    digest = hashlib.sha256(f"spro-dev-key:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def fernet_keys() -> list[bytes]:
    """The configured Fernet keys, first = the one that encrypts."""
    configured = [key.strip() for key in getattr(settings, "SPRO_DROPOUT_KEYS", []) if key.strip()]
    if not configured:
        if _production():
            raise ImproperlyConfigured(
                "SPRO_DROPOUT_KEYS doit contenir au moins une clé Fernet en production "
                "(générer : python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
            )
        return [derived_key("fernet")]
    return [key.encode() for key in configured]


@functools.lru_cache(maxsize=8)
def _cipher(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "SPRO_DROPOUT_KEYS : une clé n’est pas une clé Fernet (32 octets en base64 url-safe)"
        ) from None


def cipher() -> MultiFernet:
    return _cipher(tuple(fernet_keys()))


def hmac_key() -> bytes:
    configured = getattr(settings, "SPRO_DROPOUT_HMAC_KEY", "").strip()
    if not configured:
        if _production():
            raise ImproperlyConfigured(
                "SPRO_DROPOUT_HMAC_KEY doit être défini en production (32 caractères au moins)"
            )
        return derived_key("hmac")
    if len(configured) < 32:
        raise ImproperlyConfigured("SPRO_DROPOUT_HMAC_KEY : 32 caractères au moins")
    return configured.encode()


def encrypt(value: str) -> str:
    """A token for `value` (empty stays empty: nothing to protect, and « no value » stays visible)."""
    if value == "":
        return ""
    return PREFIX + cipher().encrypt(value.encode()).decode("ascii")


def encrypter() -> Callable[[str], str]:
    """`encrypt` with the keys looked up once, for a batch of values (an import encrypts tens of thousands: the
    settings lookup of each call was a tenth of the encryption's time)."""
    fernet = cipher()

    def encrypt_one(value: str) -> str:
        if value == "":
            return ""
        return PREFIX + fernet.encrypt(value.encode()).decode("ascii")

    return encrypt_one


def _fernet_token(token: str) -> bytes:
    """The Fernet token behind a stored value (which must carry the prefix)."""
    if not token.startswith(PREFIX):
        raise DecryptionError("valeur non chiffrée dans une colonne chiffrée")
    return token[len(PREFIX) :].encode("ascii")


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return cipher().decrypt(_fernet_token(token)).decode()
    except InvalidToken:
        raise DecryptionError("aucune clé de SPRO_DROPOUT_KEYS ne déchiffre cette valeur") from None


def rotate(token: str) -> str:
    """The same value encrypted with the first key (MultiFernet.rotate); empty stays empty."""
    if token == "":
        return ""
    try:
        return PREFIX + cipher().rotate(_fernet_token(token)).decode("ascii")
    except InvalidToken:
        raise DecryptionError("aucune clé de SPRO_DROPOUT_KEYS ne déchiffre cette valeur") from None


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of `value` under SPRO_DROPOUT_HMAC_KEY, hex (64 characters): equal values match, the value
    cannot be read back, and without the key nobody can test guesses."""
    return hmac.new(hmac_key(), value.encode(), hashlib.sha256).hexdigest()


def keyed_hasher() -> Callable[[str], str]:
    """`keyed_hash` with the key looked up and set up once, for a batch of values (same results)."""
    keyed = hmac.new(hmac_key(), digestmod=hashlib.sha256)

    def hash_one(value: str) -> str:
        one = keyed.copy()
        one.update(value.encode())
        return one.hexdigest()

    return hash_one


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (`PREFIX` + Fernet token), read back in clear. Not searchable or sortable in
    the database by design: match on a keyed hash stored beside it."""

    description = "Texte chiffré (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))
