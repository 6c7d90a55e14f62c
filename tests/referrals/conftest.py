"""Fixtures of the referral tests: two structures, their conseillers, and a referral factory."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from spro.referrals import services, tokens

_counter = itertools.count(1)


def make_structure(nom: str = "CIO de Rennes", courriel: str = "cio-rennes@example.org", **fields):
    from spro.directory.models import Structure

    n = next(_counter)
    return Structure.objects.create(
        di_id=fields.pop("di_id", f"test--s{n}"),
        source="test",
        nom=nom,
        courriel=courriel,
        date_maj=dt.date(2026, 10, 1),
        typologie=fields.pop("typologie", "CIO"),
        **fields,
    )


def make_user(username: str, structure=None, role: str = "conseiller"):
    from django.contrib.auth.models import User

    from spro.accounts.models import Membership

    user = User.objects.create_user(username=username, email=f"{username}@example.org", password="x" * 16)
    if structure is not None:
        Membership.objects.create(user=user, structure=structure, role=role)
    return user


def make_referral(structure, *, channel: str = "courriel", contact: str = "camille@example.org", **fields):
    """A referral as the public form creates it; returns (referral, follow token)."""
    details = services.ContactDetails(
        first_name=fields.pop("first_name", "Camille"),
        contact_channel=channel,
        contact_value=contact,
        message=fields.pop("message", "Je voudrais changer de métier."),
        besoins=fields.pop("besoins", ["evolution-professionnelle"]),
    )
    created = services.create_referral(
        structure,
        details,
        idempotency_key=tokens.new_idempotency_key(),
        follow_url_for=lambda t: f"/suivi/{t}",
    )
    return created.referral, created.follow_token


@pytest.fixture
def structure(db):
    return make_structure()


@pytest.fixture
def other_structure(db):
    return make_structure(nom="Mission locale de Brest", courriel="ml-brest@example.org", typologie="ML")


@pytest.fixture
def conseiller(structure):
    return make_user("conseillere", structure)


@pytest.fixture
def other_conseiller(other_structure):
    return make_user("autre", other_structure)


@pytest.fixture
def referral(structure):
    return make_referral(structure)[0]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_SITE_URL = "https://orientation.example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate-limit counters live in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


from tests.directory.conftest import geo  # noqa: E402, F401 - seven real communes of Bretagne
