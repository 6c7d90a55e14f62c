"""A small real dataset for the pages: geography, ROME, BCN, Certif Info, tension, ONISEP and the LHÉO example,
with the real search index built on it (the search page is tested against the real engine, not a stand-in).

Imported once per module inside a transaction rolled back at the end (each test runs in its own savepoint).
"""

from __future__ import annotations

import pytest

from spro.referentials.importing import run_dataset
from spro.referentials.importing.registry import all_datasets
from spro.search import service
from spro.search.indexing import rebuild_index
from tests.conftest import imported

PAGE_DATASETS = ("geo", "rome", "bcn", "certifinfo", "onisep", "tension", "lheo")


def import_datasets(names: tuple[str, ...] = PAGE_DATASETS) -> None:
    """Import these built-in datasets (an unknown name is an error, never skipped)."""
    datasets = all_datasets()
    for name in names:
        report = run_dataset(datasets[name]())
        assert report.status == "success", (name, report.error)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    datasets = all_datasets()
    with imported(django_db_blocker, *(datasets[name]() for name in PAGE_DATASETS)):
        rebuild_index()
        service._labels_cache.clear()
        try:
            yield
        finally:
            service._labels_cache.clear()
