"""Shared fixtures. Tests run against the database named by DATABASE_URL (SQLite or PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The browser harness (Playwright + Debian's Chromium + axe) as a plugin: one session-wide browser for every test
# folder, instead of each folder importing (and so duplicating) the session fixtures.
pytest_plugins = ["tests.browser.harness"]  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(config, items):
    if shutil.which("chromium") or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (make test installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _page_rate_limits_off(settings):
    """The pages' limiters count per client address and every test client is 127.0.0.1: off, unless a test of the
    limits turns them on (tests/core/test_ratelimit.py)."""
    settings.SPRO_QUESTION_RATE_LIMIT = ""
    settings.SPRO_SEARCH_RATE_LIMIT = ""


@pytest.fixture(autouse=True)
def _fresh_commune_index():
    """The commune resolver keeps its index per geography import; tests create communes without an import run, so
    each test starts from the communes its own database holds."""
    from spro.referentials.geo import resolver

    resolver.clear_index()
    yield
    resolver.clear_index()


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; `collectstatic` creates it in production."""
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


def settle_deferred_constraints() -> None:
    """Check the deferred foreign keys of data a module fixture just loaded, at the fixture's own level.

    Why: every django_db test ends with SET CONSTRAINTS ALL IMMEDIATE inside its savepoint, and PostgreSQL
    puts the events it fired back in the queue when that savepoint is rolled back: without this, each test of
    a module that loaded the real referentials re-checked hundreds of thousands of foreign keys (seconds per
    test). Checked here once, outside any test savepoint, they stay checked. A no-op on SQLite.
    """
    from django.db import connection

    connection.check_constraints()


@contextlib.contextmanager
def imported(django_db_blocker, *datasets):
    """Import these datasets for a module fixture, yield their reports, and roll everything back at the end.

    For `@pytest.fixture(scope="module")` fixtures that need real referentials: one import per module instead of
    one per test, nothing left behind for the next module.
    """
    from django.db import transaction

    from spro.referentials.importing import run_dataset

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            reports = []
            for dataset in datasets:
                report = run_dataset(dataset)
                assert report.status == "success", (dataset.name, report.error)
                reports.append(report)
            settle_deferred_constraints()
            yield reports
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
