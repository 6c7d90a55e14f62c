"""Fixtures for the certification referentials: one full import shared by a module, rolled back at its end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from spro.referentials.certifications import importers
from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.importing import DatasetReport, run_dataset
from spro.referentials.importing.registry import all_datasets
from tests.conftest import imported as import_for_module


def import_rome() -> DatasetReport:
    """ROME 4.0 with the rome app's own dataset: the links are checked against the real referential."""
    report = run_dataset(all_datasets()["rome"]())
    assert report.status == "success", report.error
    return report


@pytest.fixture
def no_rome_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that are not about ROME: every ROME code counts as unknown (no ROME import needed)."""
    monkeypatch.setattr(importers, "known_rome_codes", lambda ctx: set())


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """ROME, BCN and Certif Info imported once per module, inside a transaction rolled back afterwards.

    Each test still runs in its own savepoint (pytest-django): a test may write without affecting the others.
    """
    datasets = (all_datasets()["rome"](), NsfBcnDataset(), CertifInfoDataset())
    with import_for_module(django_db_blocker, *datasets) as reports:
        yield dict(zip(("rome", "bcn", "certifinfo"), reports, strict=True))


@pytest.fixture
def certif_folder(tmp_path: Path) -> Path:
    """A writable copy of the built-in certification files."""
    target = tmp_path / "certifications"
    shutil.copytree(Path(settings.DATA_DIR) / "certifications", target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target
