"""The public pages that compute something are limited per client address through the shared cache (issue 12:
`POST /question` and the HTML `/recherche` had no limit at all), with a French 429 page and `Retry-After`."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from spro.core.ratelimit import Rate, hit, parse_rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_post_question_answers_429_past_its_limit_and_get_is_not_counted(client, settings):
    settings.SPRO_QUESTION_RATE_LIMIT = "3/minute"
    for _ in range(5):
        assert client.get("/question").status_code == 200  # the empty form costs nothing: not counted
    statuses = [client.post("/question", {"text": "je cherche une formation"}).status_code for _ in range(4)]
    assert 429 not in statuses[:3] and statuses[3] == 429
    refused = client.post("/question", {"text": "je cherche une formation"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    html = refused.content.decode()
    assert "Trop de demandes" in html and "secondes" in html


def test_the_html_search_answers_429_past_its_limit(client, settings):
    settings.SPRO_SEARCH_RATE_LIMIT = "2/minute"
    assert [client.get("/recherche", {"q": "boulanger"}).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/recherche", {"q": "boulanger"})
    assert refused.status_code == 429 and "Retry-After" in refused


def test_each_client_address_has_its_own_counter(client, settings):
    settings.SPRO_SEARCH_RATE_LIMIT = "1/minute"
    assert client.get("/recherche", {"q": "a"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/recherche", {"q": "a"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/recherche", {"q": "a"}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_counters_live_in_the_shared_cache_with_the_address_hashed(settings):
    rate = Rate(2, 60)
    assert hit("question", "ip:198.51.100.7", rate, now=120.0).allowed
    assert hit("question", "ip:198.51.100.7", rate, now=121.0).allowed
    assert not hit("question", "ip:198.51.100.7", rate, now=122.0).allowed
    assert hit("question", "ip:198.51.100.7", rate, now=180.0).allowed  # next window
    keys = list(getattr(cache, "_cache", {}))
    assert keys and not [key for key in keys if "198.51.100.7" in key]


def test_an_empty_setting_turns_the_limit_off_and_a_wrong_one_is_refused(client, settings):
    settings.SPRO_SEARCH_RATE_LIMIT = ""
    assert all(client.get("/recherche", {"q": "a"}).status_code == 200 for _ in range(5))
    with pytest.raises(ImproperlyConfigured, match="SPRO_SEARCH_RATE_LIMIT"):
        parse_rate("beaucoup", "SPRO_SEARCH_RATE_LIMIT")
