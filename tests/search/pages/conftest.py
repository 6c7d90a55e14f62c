"""A small real dataset for the pages: geography, ROME, BCN, Certif Info, tension, ONISEP and the LHÉO example.

Imported once per module inside a transaction rolled back at the end (each test runs in its own savepoint).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from spro.referentials.importing import run_dataset
from spro.referentials.importing.registry import all_datasets
from tests.conftest import settle_deferred_constraints

PAGE_DATASETS = ("geo", "rome", "bcn", "certifinfo", "onisep", "tension", "lheo")


def import_datasets(names: tuple[str, ...] = PAGE_DATASETS) -> None:
    datasets = all_datasets()
    for name in names:
        if name not in datasets:  # a sibling app still finishing: its pages degrade gracefully
            continue
        report = run_dataset(datasets[name]())
        assert report.status == "success", (name, report.error)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            import_datasets()
            settle_deferred_constraints()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def stub_service(monkeypatch):
    """Route /recherche to the stand-in service (the real one is tested by search-core)."""
    from spro.search import views

    from . import stub

    monkeypatch.setattr(views, "_service", lambda: stub)
    return stub
