"""Fixtures of the accompaniment tests: the accounts tests' small network (structures a, b, c and one user per
role), a referral factory, and helpers that open accompaniments through the domain."""

from __future__ import annotations

import pytest

from spro.accompaniment import services
from tests.accounts.factories import MembershipFactory, build_network
from tests.referrals.conftest import make_referral


@pytest.fixture(autouse=True)
def _referral_settings(settings):
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_SITE_URL = "https://orientation.example.org"


@pytest.fixture
def network(db):
    """a = ML Quimper (29), b = CIO Rennes (35), c = ML Caen (14); users: conseiller_a, admin_a, conseiller_b,
    tete_ml_bzh, pilote_region, pilote_etat_29, pilote_etat, superuser, nobody."""
    world = build_network()
    world["users"]["admin_b"] = MembershipFactory(
        structure=world["b"], role="admin_structure", user__email="admin.b@example.org"
    ).user
    return world


@pytest.fixture
def users(network):
    return network["users"]


def open_spot(structure, user, first_name: str = "Karim", **kwargs) -> services.Opened:
    return services.open_on_the_spot(
        structure,
        user=user,
        person=services.Person(first_name, "courriel", kwargs.pop("contact", "karim@example.org")),
        goal_label=kwargs.pop("goal", "Devenir technicien de maintenance"),
        consent=kwargs.pop("consent", True),
        **kwargs,
    )


@pytest.fixture
def opened(network):
    """An accompaniment of structure a, opened on the spot by conseiller_a, with one note and one scheme."""
    result = open_spot(network["a"], network["users"]["conseiller_a"])
    services.add_note(
        result.accompaniment, user=network["users"]["conseiller_a"], text="Souhaite se reconvertir."
    )
    return result


@pytest.fixture
def accompaniment(opened):
    return opened.accompaniment


__all__ = ["make_referral", "open_spot"]
