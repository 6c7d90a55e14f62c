"""Per-client rate limiting, counted in Django's cache so that every app server shares the same counters (Redis).

One fixed-window counter per (scope, client): `cache.add` creates it and `cache.incr` increments it atomically (both
are atomic on Redis and on the local-memory cache), so two servers never lose a request between them. The client's
identity is hashed, so that neither an address nor an API key ever appears in the cache. Used by the public API
(`spro.api.ratelimit`) and, through `rate_limited`, by the public pages that compute something (`/question`,
`/recherche`), which answer a French 429 page with `Retry-After`.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from spro.core.client import client_ip

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
_PERIOD_LABELS = {1: "seconde", 60: "minute", 3600: "heure", 86400: "jour"}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int

    def label(self) -> str:
        """« 120 requêtes par minute », for documentation pages."""
        unit = _PERIOD_LABELS.get(self.seconds, f"{self.seconds} s")
        return f"{self.requests} requêtes par {unit}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window resets


UNLIMITED = Decision(True, 0, 0, 0)


def parse_rate(value: str, setting: str = "rate") -> Rate:
    """`"120/minute"` -> Rate(120, 60). Accepts s/sec/second, m/min/minute, h/hour, d/day; `setting` names the
    setting in the error, so that a wrong value is found at once."""
    try:
        count, period = value.strip().split("/", 1)
        requests = int(count)
        seconds = _PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{setting}={value!r}: expected '<number>/<second|minute|hour|day>'"
        ) from exc
    if requests < 1:
        raise ImproperlyConfigured(f"{setting}={value!r}: the number of requests must be ≥ 1")
    return Rate(requests, seconds)


def configured_rate(setting: str, default: str = "") -> Rate | None:
    """The rate of a setting; `None` when it is empty (limiting off, e.g. for benchmarks)."""
    value = getattr(settings, setting, default)
    if not value:
        return None
    return parse_rate(value, setting)


def hit(scope: str, identity: str, rate: Rate | None, now: float | None = None) -> Decision:
    """Count one request of `identity` in `scope` (e.g. "api", "question") and say whether it may proceed."""
    if rate is None:
        return UNLIMITED
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"spro:rl:{scope}:{rate.seconds}:{window}:{digest}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new counter
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    remaining = max(0, rate.requests - count)
    return Decision(count <= rate.requests, rate.requests, remaining, retry_after)


def too_many_requests_page(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The French 429 page: what happened, how long to wait, and that nothing was lost."""
    minutes = math.ceil(decision.retry_after / 60)
    wait = f"{decision.retry_after} secondes" if decision.retry_after < 120 else f"{minutes} minutes"
    body = render_to_string("core/429.html", {"title": "Trop de demandes", "wait": wait}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(decision.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    setting: str, default: str, scope: str, methods: Collection[str] = ("GET", "HEAD", "POST")
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a page per client address with the rate in `setting` (read at each request, `default` when unset);
    only requests whose method is in `methods` are counted (e.g. the POST that computes an answer, not the form)."""
    counted = {method.upper() for method in methods}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in counted:
                decision = hit(scope, "ip:" + client_ip(request), configured_rate(setting, default))
                if not decision.allowed:
                    return too_many_requests_page(request, decision)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
