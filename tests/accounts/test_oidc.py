"""OpenID Connect login against a fake provider (no network): known active user in, anyone else out.

The fake provider answers the token, JWKS and userinfo requests that mozilla-django-oidc sends with `requests`;
its id_token and userinfo are RS256 JWTs, as ProConnect sends them.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

ISSUER = "https://fournisseur.example/api/v2"
CLIENT_ID = "spro-test"

OIDC_SETTINGS = {
    "SPRO_OIDC_ISSUER": ISSUER,
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": "secret-de-test",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": ISSUER + "/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": ISSUER + "/token",
    "OIDC_OP_USER_ENDPOINT": ISSUER + "/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": ISSUER + "/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email given_name usual_name",
    "OIDC_CREATE_USER": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "pro-oidc-callback",
    "LOGIN_REDIRECT_URL_FAILURE": "/pro/connexion?oidc=echec",
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "spro.accounts.oidc.ProConnectBackend",
    ],
}


class FakeResponse:
    def __init__(self, body, content_type="application/json", status=200):
        self.status_code = status
        self.headers = {"content-type": content_type}
        self.text = body if isinstance(body, str) else json.dumps(body)
        self.url = "fake"

    def json(self):
        return json.loads(self.text)

    def raise_for_status(self):
        assert self.status_code == 200


class FakeProvider:
    """Answers like an OIDC provider for one authorization code, for the e-mail it is told."""

    def __init__(self, email: str, audience: str = CLIENT_ID) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.email = email
        self.audience = audience
        self.nonce = ""
        self.calls: list[str] = []

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "cle-1"})

    def post(self, url, data=None, **kwargs):
        self.calls.append(url)
        assert url == ISSUER + "/token" and data["code"] == "code-valide"
        id_token = self.sign({"iss": ISSUER, "aud": self.audience, "sub": "agent-1", "nonce": self.nonce})
        return FakeResponse({"access_token": "jeton-acces", "id_token": id_token, "token_type": "Bearer"})

    def get(self, url, **kwargs):
        self.calls.append(url)
        if url == ISSUER + "/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return FakeResponse({"keys": [{**public, "kid": "cle-1", "alg": "RS256", "use": "sig"}]})
        assert url == ISSUER + "/userinfo"
        claims = {"iss": ISSUER, "aud": self.audience, "sub": "agent-1", "email": self.email}
        return FakeResponse(self.sign(claims), content_type="application/jwt")


@pytest.fixture
def provider_for(monkeypatch):
    def make(email: str, **kwargs) -> FakeProvider:
        provider = FakeProvider(email, **kwargs)
        monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", provider.post)
        monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", provider.get)
        return provider

    return make


def start_login(client, provider: FakeProvider) -> str:
    response = client.get("/pro/oidc/connexion")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == ISSUER + "/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/pro/oidc/retour"]
    provider.nonce = query["nonce"][0]
    return query["state"][0]


@override_settings(**OIDC_SETTINGS)
def test_a_known_active_user_logs_in_through_the_provider(client, network, provider_for):
    provider = provider_for("CONSEILLER.A@example.org")
    state = start_login(client, provider)
    response = client.get("/pro/oidc/retour", {"code": "code-valide", "state": state})
    assert response.status_code == 302 and response["Location"] == "/pro/"
    assert int(client.session["_auth_user_id"]) == network["users"]["conseiller_a"].pk
    assert provider.calls == [ISSUER + "/token", ISSUER + "/jwks", ISSUER + "/userinfo", ISSUER + "/jwks"]


@override_settings(**OIDC_SETTINGS)
def test_an_unknown_email_gets_no_account_and_no_access(client, network, provider_for):
    from django.contrib.auth import get_user_model

    provider = provider_for("inconnu@example.org")
    state = start_login(client, provider)
    users_before = get_user_model().objects.count()
    response = client.get("/pro/oidc/retour", {"code": "code-valide", "state": state})
    assert response["Location"] == "/pro/connexion?oidc=echec"
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users_before
    page = client.get(response["Location"])
    assert "aucun compte actif" in page.content.decode()


@override_settings(**OIDC_SETTINGS)
def test_a_deactivated_account_cannot_log_in_through_the_provider(client, network, provider_for):
    user = network["users"]["conseiller_a"]
    user.is_active = False
    user.save()
    provider = provider_for("conseiller.a@example.org")
    state = start_login(client, provider)
    response = client.get("/pro/oidc/retour", {"code": "code-valide", "state": state})
    assert response["Location"] == "/pro/connexion?oidc=echec"
    assert "_auth_user_id" not in client.session


@override_settings(**OIDC_SETTINGS)
def test_a_token_issued_for_another_client_is_refused(client, network, provider_for):
    provider = provider_for("conseiller.a@example.org", audience="un-autre-site")
    state = start_login(client, provider)
    response = client.get("/pro/oidc/retour", {"code": "code-valide", "state": state})
    assert response["Location"] == "/pro/connexion?oidc=echec"
    assert "_auth_user_id" not in client.session


@override_settings(**OIDC_SETTINGS)
def test_a_callback_with_a_forged_state_logs_no_one_in(client, network, provider_for):
    provider = provider_for("conseiller.a@example.org")
    start_login(client, provider)
    response = client.get("/pro/oidc/retour", {"code": "code-valide", "state": "etat-invente"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {302, 400}
    assert provider.calls == []


@override_settings(**OIDC_SETTINGS)
def test_the_login_page_offers_proconnect_when_configured(client, db):
    assert "Se connecter avec ProConnect" in client.get("/pro/connexion").content.decode()


def test_oidc_pages_do_not_exist_when_no_issuer_is_configured(client, db):
    assert client.get("/pro/oidc/connexion").status_code == 404
    assert client.get("/pro/oidc/retour", {"code": "x", "state": "y"}).status_code == 404
