"""Fixtures of the contacts tests (the accounts tests' network)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import build_network


@pytest.fixture
def network(db):
    return build_network()
