"""Form keys, idempotency digests and follow-up links.

A form carries a key issued for *that* form: a random nonce and an HMAC (keyed by SECRET_KEY) of the form's kind
(`public` request or conseiller's `orienter`), its structure and, for `orienter`, the referral it comes from. A key
posted to another form, or forged, is refused. The database stores only the SHA-256 digest of the nonce *with* its
scope, so that the same nonce in another scope can never find someone else's referral; the digest is unique, so a
key creates at most one referral (a double submit finds it again).

The follow-up token is an HMAC of the referral's public id and key digest: the platform can write the link again in
later e-mails, while the database stores only its SHA-256 digest (a copy of the database without SECRET_KEY gives
no working link).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from django.utils.crypto import salted_hmac

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
FORM_KINDS = ("public", "orienter")


def new_idempotency_key() -> str:
    """A random nonce (32 bytes, URL-safe base64)."""
    return secrets.token_urlsafe(32)


def is_well_formed(value: str) -> bool:
    """Nonces and tokens are 32 random bytes in URL-safe base64 (43 characters)."""
    return bool(_TOKEN.match(value or ""))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("ascii")).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _scope(kind: str, structure_pk: object, from_pk: object | None, nonce: str) -> str:
    if kind not in FORM_KINDS:
        raise ValueError(f"unknown form kind {kind!r}")
    return f"{kind}|{structure_pk}|{from_pk if from_pk is not None else ''}|{nonce}"


def new_form_key(kind: str, structure_pk: object, from_pk: object | None = None) -> str:
    """A key for one form: `<nonce>.<mac>`, valid only for this kind, structure (and source referral)."""
    nonce = new_idempotency_key()
    return f"{nonce}.{_form_mac(kind, structure_pk, from_pk, nonce)}"


def _form_mac(kind: str, structure_pk: object, from_pk: object | None, nonce: str) -> str:
    scope = _scope(kind, structure_pk, from_pk, nonce)
    return _b64(salted_hmac("spro.referrals.form-key", scope, algorithm="sha256").digest())


def open_form_key(value: str, kind: str, structure_pk: object, from_pk: object | None = None) -> str | None:
    """The nonce of a key issued for this form, or None (forged, truncated, or issued for another form)."""
    nonce, _, mac = (value or "").partition(".")
    if not is_well_formed(nonce) or not is_well_formed(mac):
        return None
    if not hmac.compare_digest(mac, _form_mac(kind, structure_pk, from_pk, nonce)):
        return None
    return nonce


def idempotency_digest(kind: str, structure_pk: object, from_pk: object | None, nonce: str) -> str:
    """What the database stores: the nonce bound to its form, never the nonce alone."""
    return hashlib.sha256(_scope(kind, structure_pk, from_pk, nonce).encode("ascii")).hexdigest()


def follow_token(public_id: object, key_digest: str) -> str:
    mac = salted_hmac("spro.referrals.follow", f"{public_id}|{key_digest}", algorithm="sha256").digest()
    return _b64(mac)


def current_follow_token(referral) -> str:
    """The referral's follow token, written again (for an e-mail, a resubmitted form); "" when the link was deleted,
    or was made by an older rule or under another SECRET_KEY, so that nothing shows a link that does not work."""
    if not referral.follow_token_hash:
        return ""
    token = follow_token(referral.public_id, referral.idempotency_key_hash)
    return token if hmac.compare_digest(digest(token), referral.follow_token_hash) else ""
