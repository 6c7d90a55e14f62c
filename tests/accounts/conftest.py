"""Fixtures of the accounts tests."""

from __future__ import annotations

import pytest

from .factories import build_network


@pytest.fixture
def network(db):
    return build_network()
