"""The public API's rate limit: who the client is, and which of its requests may proceed.

Counting is `spro.core.ratelimit` (shared cache, fixed window). A client is its address, unless it sends an
`X-Api-Key` that the operator configured: only such a key has its own counter (at `SPRO_API_KEY_RATE_LIMIT`), so a
partner's server is not limited with the anonymous public. Keys are configured hashed (`SPRO_API_KEYS`, SHA-256 hex
digests, optionally `name:digest`) and compared in constant time; the clear key is never stored. A key that is not
configured is refused (401), after its request was counted against the client's address, so that sending random
keys gets neither a fresh counter nor unlimited attempts.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from spro.core import ratelimit as core
from spro.core.client import client_ip
from spro.core.ratelimit import Decision, Rate

__all__ = ["ApiKey", "Client", "Decision", "Rate", "check", "client_ip", "identify", "parse_rate"]

DEFAULT_RATE = "120/minute"
DEFAULT_KEY_RATE = "1200/minute"
API_KEY_HEADER = "HTTP_X_API_KEY"
MAX_API_KEY_LENGTH = 200
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class ApiKey:
    name: str
    digest: str  # SHA-256 of the key, lower-case hex


@dataclass(frozen=True)
class Client:
    identity: str  # "ip:…" or "key:<name>"
    key: ApiKey | None = None
    unknown_key: bool = False  # an X-Api-Key was sent that the operator did not configure


def parse_rate(value: str) -> Rate:
    """`"120/minute"` -> Rate(120, 60), errors naming SPRO_API_RATE_LIMIT."""
    return core.parse_rate(value, "SPRO_API_RATE_LIMIT")


def configured_rate() -> Rate | None:
    """The anonymous rate; `None` (or an empty string) turns rate limiting off, e.g. for benchmarks."""
    return core.configured_rate("SPRO_API_RATE_LIMIT", DEFAULT_RATE)


def configured_key_rate() -> Rate | None:
    """The rate of each configured key; empty: no limit for configured keys."""
    return core.configured_rate("SPRO_API_KEY_RATE_LIMIT", DEFAULT_KEY_RATE)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _parse_keys(value: str) -> tuple[ApiKey, ...]:
    keys: list[ApiKey] = []
    for position, entry in enumerate((part.strip() for part in value.split(",")), start=1):
        if not entry:
            continue
        name, _, digest = entry.rpartition(":")
        name = name.strip() or f"cle-{position}"
        digest = digest.strip().lower()
        if not _DIGEST.match(digest):
            raise ImproperlyConfigured(
                f"SPRO_API_KEYS, entry {position}: expected '[name:]<SHA-256 hex digest of the key>' "
                "(64 hex characters; `spro api_keys generate NAME` makes one)"
            )
        if not _NAME.match(name):
            raise ImproperlyConfigured(
                f"SPRO_API_KEYS, entry {position}: the name may hold letters, digits, '.', '_' and '-' only"
            )
        keys.append(ApiKey(name, digest))
    names = [key.name for key in keys]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured("SPRO_API_KEYS: two keys have the same name")
    return tuple(keys)


def configured_keys() -> tuple[ApiKey, ...]:
    return _parse_keys(getattr(settings, "SPRO_API_KEYS", "") or "")


def find_key(presented: str) -> ApiKey | None:
    """The configured key matching `presented`, comparing digests in constant time and always against every key."""
    digest = hash_key(presented)
    found = None
    for key in configured_keys():
        if hmac.compare_digest(digest, key.digest):
            found = key
    return found


def identify(request: HttpRequest) -> Client:
    presented = request.META.get(API_KEY_HEADER, "").strip()
    address = "ip:" + client_ip(request)
    if not presented:
        return Client(address)
    key = find_key(presented)
    if key is None:
        return Client(address, unknown_key=True)
    return Client("key:" + key.name, key=key)


def check(
    request: HttpRequest, rate: Rate | None = None, now: float | None = None, client: Client | None = None
) -> Decision:
    """Count this request against its client's window and say whether it may proceed."""
    client = client or identify(request)
    if client.key is not None:
        return core.hit("api-key", client.identity, configured_key_rate(), now)
    return core.hit("api", client.identity, rate or configured_rate(), now)
