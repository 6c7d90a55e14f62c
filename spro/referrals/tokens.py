"""Idempotency keys and follow-up links.

The form carries a random idempotency key. The follow-up token is an HMAC of that key (keyed by SECRET_KEY), so a
double submit of the same form finds the referral again *and* the same link, while the database stores only
SHA-256 digests of both: a copy of the database alone gives neither the key nor a working link.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(32)


def is_well_formed(value: str) -> bool:
    """Keys and tokens are 32 random bytes in URL-safe base64 (43 characters)."""
    return bool(_TOKEN.match(value or ""))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("ascii")).hexdigest()


def follow_token(idempotency_key: str) -> str:
    mac = salted_hmac("spro.referrals.follow", idempotency_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")
