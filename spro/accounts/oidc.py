"""Optional OpenID Connect login (ProConnect, the State agents' provider), through mozilla-django-oidc.

Off unless `SPRO_OIDC_ISSUER` is set (settings.py then fills the `OIDC_*` settings from the environment). The
provider proves who the person is; the platform decides what they may do: only an existing, active account with
the same e-mail address is logged in. Nobody gets an account just by having a ProConnect identity: accounts come
from invitations.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "SPRO_OIDC_ISSUER", ""))


class ProConnectBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs) -> None:
        # Instantiated by every authenticate() call: harmless when OIDC is off (no OIDC_* settings then).
        if enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as refused:  # bad signature, nonce, audience, issuer: a failed login
            logger.warning("OpenID Connect login refused: %s", refused)
            return None

    def verify_token(self, token: str, **kwargs) -> dict:
        """The library checks signature and nonce; the audience and issuer are checked here too."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if "aud" in payload and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("OIDC token for another client")
        if "iss" in payload and payload["iss"].rstrip("/") != settings.SPRO_OIDC_ISSUER:
            raise SuspiciousOperation("OIDC token from another issuer")
        return payload

    def verify_claims(self, claims: dict) -> bool:
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict):
        """Never: an identity at the provider is not an account here (OIDC_CREATE_USER is False anyway)."""
        return None

    def update_user(self, user, claims: dict):
        return user
