"""The client's address, one rule for every per-client counter (API, pages, referrals, login throttling)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "inconnu"


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted proxies (`SPRO_API_TRUSTED_PROXIES`), the N-th X-Forwarded-For entry
    from the right is the one the nearest trusted proxy saw; entries further left can be forged by the client."""
    proxies = int(getattr(settings, "SPRO_API_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or UNKNOWN
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
