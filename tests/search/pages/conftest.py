"""A small real dataset for the pages: geography, ROME, BCN, Certif Info, tension, ONISEP and the LHÉO example,
with the real search index built on it (the search page is tested against the real engine, not a stand-in).

Imported once per module inside a transaction rolled back at the end (each test runs in its own savepoint).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from spro.referentials.importing import run_dataset
from spro.referentials.importing.registry import all_datasets
from spro.search import service
from spro.search.indexing import rebuild_index
from tests.conftest import settle_deferred_constraints

PAGE_DATASETS = ("geo", "rome", "bcn", "certifinfo", "onisep", "tension", "lheo")


def import_datasets(names: tuple[str, ...] = PAGE_DATASETS) -> None:
    """Import these built-in datasets (an unknown name is an error, never skipped)."""
    datasets = all_datasets()
    for name in names:
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
            rebuild_index()
            service._labels_cache.clear()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            service._labels_cache.clear()
