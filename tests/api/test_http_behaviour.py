"""What partner sites rely on besides the JSON: CORS, rate limits (429 + Retry-After), ETag/304, HEAD, 405."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from spro.api import ratelimit

URL = "/api/v1/recherche"


# --- CORS -------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [URL + "?q=infirmier", "/api/v1/metiers/J1506", "/api/v1/openapi.json"])
def test_get_answers_allow_any_origin_without_credentials(client, cors, fake_search, fake_details, path):
    response = client.get(path, headers={"Origin": "https://partenaire.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Retry-After" in response["Access-Control-Expose-Headers"]


def test_errors_are_readable_cross_origin_too(client, cors, fake_search):
    response = client.get(URL, {"page": "0"}, headers={"Origin": "https://partenaire.example"})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_preflight_is_answered_before_the_view(client, cors):
    response = client.options(
        URL,
        headers={
            "Origin": "https://partenaire.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key, if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"x-api-key", "if-none-match"} <= allowed
    assert int(response["Access-Control-Max-Age"]) > 0


def test_writes_get_no_cors_header_and_a_json_405(client, cors):
    response = client.post(URL, {"q": "x"}, headers={"Origin": "https://partenaire.example"})
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response
    assert response.json()["code"] == "method-not-allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_site_pages_get_no_cors_header(client, cors, db):  # the home page reads the agenda
    response = client.get("/", headers={"Origin": "https://partenaire.example"})
    assert "Access-Control-Allow-Origin" not in response


# --- Rate limiting ------------------------------------------------------------------------------------------------
def test_rate_limit_answers_429_with_retry_after(client, settings, fake_search):
    settings.SPRO_API_RATE_LIMIT = "3/minute"
    statuses = [client.get(URL, {"q": "x"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get(URL, {"q": "x"})
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate-limited" and body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-RateLimit-Limit"] == "3" and response["X-RateLimit-Remaining"] == "0"
    assert len(fake_search.calls) == 3, "a refused request must not reach the search"


def test_rate_limit_headers_count_down(client, settings, fake_search):
    settings.SPRO_API_RATE_LIMIT = "10/minute"
    remaining = [client.get(URL, {"q": "x"})["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["9", "8", "7"]


def test_rate_limit_is_per_configured_api_key_then_per_ip(client, settings, fake_search):
    settings.SPRO_API_RATE_LIMIT = "2/minute"
    settings.SPRO_API_KEY_RATE_LIMIT = "2/minute"
    settings.SPRO_API_KEYS = f"a:{ratelimit.hash_key('partenaire-a')}, b:{ratelimit.hash_key('partenaire-b')}"
    for _ in range(2):
        assert client.get(URL, {"q": "x"}, headers={"X-Api-Key": "partenaire-a"}).status_code == 200
    assert client.get(URL, {"q": "x"}, headers={"X-Api-Key": "partenaire-a"}).status_code == 429
    assert client.get(URL, {"q": "x"}, headers={"X-Api-Key": "partenaire-b"}).status_code == 200
    assert client.get(URL, {"q": "x"}).status_code == 200  # the anonymous IP has its own counter
    assert client.get(URL, {"q": "x"}, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_rate_limit_covers_errors_and_documentation(client, settings):
    settings.SPRO_API_RATE_LIMIT = "2/minute"
    client.get("/api/v1/nexiste-pas")
    client.get("/api/v1/openapi.json")
    assert client.get("/api/v1/docs").status_code == 429


def test_rate_limit_can_be_turned_off(client, settings, fake_search):
    settings.SPRO_API_RATE_LIMIT = ""
    assert all(client.get(URL, {"q": "x"}).status_code == 200 for _ in range(5))


def test_rate_limit_window_resets():
    request = RequestFactory().get(URL)
    rate = ratelimit.Rate(1, 60)
    assert ratelimit.check(request, rate, now=600.0).allowed
    refused = ratelimit.check(request, rate, now=630.0)
    assert not refused.allowed and refused.retry_after == 30
    assert ratelimit.check(request, rate, now=660.0).allowed


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120/minute", (120, 60)), ("5/s", (5, 1)), ("1000/hour", (1000, 3600)), (" 10 / day ", (10, 86400))],
)
def test_rate_setting_is_parsed(value, expected):
    rate = ratelimit.parse_rate(value)
    assert (rate.requests, rate.seconds) == expected


@pytest.mark.parametrize("value", ["120", "abc/minute", "10/fortnight", "0/minute"])
def test_bad_rate_setting_is_refused_clearly(value):
    with pytest.raises(ImproperlyConfigured, match="SPRO_API_RATE_LIMIT"):
        ratelimit.parse_rate(value)


def test_client_ip_behind_trusted_proxies(settings):
    factory = RequestFactory()
    request = factory.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.SPRO_API_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.SPRO_API_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "203.0.113.9"  # the forged left-most entry is ignored


# --- Caching -------------------------------------------------------------------------------------------------------
def test_get_answers_have_etag_and_cache_control(client, fake_search):
    response = client.get(URL, {"q": "infirmier"})
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    again = client.get(URL, {"q": "infirmier"})
    assert again["ETag"] == response["ETag"]
    other = client.get(URL, {"q": "boulanger"})
    assert other["ETag"] != response["ETag"]


@pytest.mark.parametrize("form", ["{etag}", "W/{etag}", '"autre", {etag}', "*"])
def test_if_none_match_gives_304_without_body(client, fake_search, form):
    etag = client.get(URL, {"q": "infirmier"})["ETag"]
    response = client.get(URL, {"q": "infirmier"}, headers={"If-None-Match": form.format(etag=etag)})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=300"


def test_stale_etag_gets_the_full_answer(client, fake_search):
    response = client.get(URL, {"q": "infirmier"}, headers={"If-None-Match": '"perime"'})
    assert response.status_code == 200 and response.json()["total"] == 1


def test_errors_are_not_cached_publicly(client, fake_search):
    response = client.get(URL, {"page": "0"})
    assert response.status_code == 400
    assert "ETag" not in response
    assert response.get("Cache-Control", "") != "public, max-age=300"


def test_detail_and_openapi_answers_are_cacheable(client, fake_details):
    for path in ("/api/v1/metiers/J1506", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=300", path
        assert client.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 304, path


# --- HEAD ------------------------------------------------------------------------------------------------------------
def test_head_is_answered_like_get(client, cors, fake_search):
    get = client.get(URL, {"q": "infirmier"})
    head = client.head(URL, {"q": "infirmier"})
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Access-Control-Allow-Origin"] == "*"
