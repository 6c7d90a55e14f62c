"""Security findings of the first review on the public API: the rate limit cannot be lifted by an invented
`X-Api-Key`, and no body (too big, nested too deep) reaches a parser that would fail with a 500."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from spro.api import bodies, ratelimit

URL = "/api/v1/recherche"
ANALYSE = "/api/v1/analyse"


# --- API keys ---------------------------------------------------------------------------------------------------
def test_random_api_keys_do_not_lift_the_rate_limit(client, settings, fake_search):
    """The finding: 130 requests with random keys in one minute were all served."""
    settings.SPRO_API_RATE_LIMIT = "5/minute"
    settings.SPRO_API_KEYS = ""
    statuses = [
        client.get(URL, {"q": "x"}, headers={"X-Api-Key": f"inventee-{n}"}).status_code for n in range(20)
    ]
    assert 200 not in statuses, "an unknown key is never served"
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}, (
        "and it counts against the client's address"
    )
    assert len(fake_search.calls) == 0
    assert client.get(URL, {"q": "x"}).status_code == 429  # the same address without a key: still limited


def test_unknown_api_key_is_refused_in_the_api_error_shape(client, settings, fake_search):
    settings.SPRO_API_KEYS = f"region:{ratelimit.hash_key('la-vraie-cle')}"
    response = client.get(URL, {"q": "x"}, headers={"X-Api-Key": "la-vraie-cl"})
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid-api-key" and body["detail"]
    assert response["WWW-Authenticate"].startswith("ApiKey")


def test_configured_key_has_its_own_higher_limit(client, settings, fake_search):
    settings.SPRO_API_RATE_LIMIT = "2/minute"
    settings.SPRO_API_KEY_RATE_LIMIT = "5/minute"
    settings.SPRO_API_KEYS = f"region:{ratelimit.hash_key('la-vraie-cle')}"
    statuses = [
        client.get(URL, {"q": "x"}, headers={"X-Api-Key": "la-vraie-cle"}).status_code for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert client.get(URL, {"q": "x"}).status_code == 200, "the anonymous counter is separate"


def test_keys_are_configured_as_digests_only(settings):
    settings.SPRO_API_KEYS = "region:la-cle-en-clair"
    with pytest.raises(ImproperlyConfigured, match="SPRO_API_KEYS"):
        ratelimit.configured_keys()
    settings.SPRO_API_KEYS = f"{ratelimit.hash_key('k1')},info-jeunes:{ratelimit.hash_key('k2').upper()}"
    assert [key.name for key in ratelimit.configured_keys()] == ["cle-1", "info-jeunes"]
    assert ratelimit.find_key("k2").name == "info-jeunes"
    assert ratelimit.find_key("k3") is None


def test_api_keys_command_generates_a_key_and_its_entry(settings, capsys):
    call_command("api_keys", "generate", "region")
    out = capsys.readouterr().out
    key = out.split("(affichée une seule fois) : ")[1].split()[0]
    entry = out.split("SPRO_API_KEYS : ")[1].split()[0]
    assert entry == f"region:{ratelimit.hash_key(key)}"
    settings.SPRO_API_KEYS = entry
    call_command("api_keys", "list")
    listed = capsys.readouterr().out
    assert "region" in listed and key not in listed


# --- Bodies -----------------------------------------------------------------------------------------------------
def _post(client, raw: str):
    return client.post(ANALYSE, data=raw, content_type="application/json")


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"text": "x", "profile": {"age": ' + "[" * 5000 + "]" * 5000 + "}}",
        '{"text": "x", "profile": ' + '{"p":' * 5000 + "null" + "}" * 5000 + "}",
        "[" * 100_000,  # unterminated
    ],
    ids=["arrays", "objects", "profile-arrays", "profile-objects", "unterminated"],
)
def test_deeply_nested_json_is_a_400_not_a_500(client, raw):
    response = _post(client, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "json-trop-profond"
    assert response.json()["detail"]


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({"text": "[" * 5000 + '\\"{' * 100})
    assert not bodies.json_depth_exceeds(text.encode())
    assert bodies.json_depth_exceeds(("[" * 33 + "]" * 33).encode())
    assert not bodies.json_depth_exceeds(("[" * 32 + "]" * 32).encode())


def test_body_larger_than_the_bound_is_a_413(client):
    raw = json.dumps({"text": "a" * (bodies.MAX_BODY_BYTES + 1)})
    response = _post(client, raw)
    assert response.status_code == 413
    assert response.json()["code"] == "corps-trop-gros"


def test_a_normal_question_still_gets_its_answer(client, db):
    response = _post(client, json.dumps({"text": "", "profile": {"age": 17}}))
    assert response.status_code in {200, 400}
    assert "code" not in response.json() or response.json()["code"] != "json-trop-profond"
