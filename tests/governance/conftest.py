"""Fixtures of the governance tests: the accounts tests' network of users (one per role) in Bretagne (53), the
Region's code set to 53, uploads stored in a temporary folder."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.governance.models import Convention, NetworkMember
from tests.accounts.factories import build_network


@pytest.fixture(autouse=True)
def _governance_settings(settings, tmp_path):
    settings.SPRO_REGION_CODE = "53"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SPRO_ANTIVIRUS_COMMAND = ""


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def users(network):
    return network["users"]


@pytest.fixture
def convention(db):
    return Convention.objects.create(
        kind="cadre",
        title="Convention cadre du SPRO en Bretagne",
        signed_on=dt.date(2025, 3, 1),
        effective_on=dt.date(2025, 3, 15),
        cprdfop_end=dt.date(2027, 3, 14),
    )


@pytest.fixture
def members(network):
    """Both Breton structures are members of the network (the ML's admin is `admin_a`)."""
    return {
        "a": NetworkMember.objects.create(
            structure=network["a"], network="ML", started_on=dt.date(2025, 1, 1)
        ),
        "b": NetworkMember.objects.create(
            structure=network["b"], network="CIO", started_on=dt.date(2025, 1, 1)
        ),
    }
