"""Per-client rate limiting, counted in Django's cache so that every app server shares the same counters (Redis).

A fixed window per client: `cache.add` creates the counter and `cache.incr` increments it atomically (both are atomic
on Redis and on the local-memory cache), so two servers never lose a request between them. A client is its API key
(`X-Api-Key`) when it sends one, else its IP address; the key is hashed so that it never appears in the cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

DEFAULT_RATE = "120/minute"
API_KEY_HEADER = "HTTP_X_API_KEY"
MAX_API_KEY_LENGTH = 200
_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window resets


def parse_rate(value: str) -> Rate:
    """`"120/minute"` -> Rate(120, 60). Accepts s/sec/second, m/min/minute, h/hour, d/day."""
    try:
        count, period = value.strip().split("/", 1)
        requests = int(count)
        seconds = _PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"SPRO_API_RATE_LIMIT={value!r}: expected '<number>/<second|minute|hour|day>'"
        ) from exc
    if requests < 1:
        raise ImproperlyConfigured(f"SPRO_API_RATE_LIMIT={value!r}: the number of requests must be ≥ 1")
    return Rate(requests, seconds)


def configured_rate() -> Rate | None:
    """The rate from settings; `None` (or an empty string) turns rate limiting off, e.g. for benchmarks."""
    value = getattr(settings, "SPRO_API_RATE_LIMIT", DEFAULT_RATE)
    if not value:
        return None
    return parse_rate(value)


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted proxies (`SPRO_API_TRUSTED_PROXIES`), the N-th X-Forwarded-For entry
    from the right is the one the nearest trusted proxy saw; entries further left can be forged by the client."""
    proxies = int(getattr(settings, "SPRO_API_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or "inconnu"
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def client_identity(request: HttpRequest) -> str:
    api_key = request.META.get(API_KEY_HEADER, "").strip()
    if api_key:
        return "key:" + api_key
    return "ip:" + client_ip(request)


def check(request: HttpRequest, rate: Rate | None = None, now: float | None = None) -> Decision:
    """Count this request against its client's window and say whether it may proceed."""
    rate = rate or configured_rate()
    if rate is None:
        return Decision(True, 0, 0, 0)
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    digest = hashlib.sha256(client_identity(request).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"spro:api:rl:{rate.seconds}:{window}:{digest}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new counter
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    remaining = max(0, rate.requests - count)
    return Decision(count <= rate.requests, rate.requests, remaining, retry_after)
