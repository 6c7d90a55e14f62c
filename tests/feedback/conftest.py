"""Fixtures of the users' view tests: the referral factories of tests/referrals, the site address, an empty cache."""

from __future__ import annotations

import pytest

from tests.referrals.conftest import make_referral, make_structure

__all__ = ["make_referral", "make_structure"]


@pytest.fixture
def structure(db):
    return make_structure(typologie="ML", reseaux_porteurs=["mission-locale"])


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_SITE_URL = "https://orientation.example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate-limit counters live in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
