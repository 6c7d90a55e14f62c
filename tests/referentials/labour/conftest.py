"""Fixtures for the labour referentials: the geography they link to, without the 35,000 communes."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from spro.referentials.geo.importers import GeoDataset
from spro.referentials.importing import ImportContext, run_dataset
from spro.referentials.importing.registry import all_datasets

LABOUR_DATA = Path(settings.DATA_DIR) / "labour"


class GeoTerritories(GeoDataset):
    """The geo dataset limited to régions, départements and bassins d'emploi: all that labour links to.

    The full geo import (communes, EPCI) takes several seconds and adds nothing to these tests.
    """

    def load(self, ctx: ImportContext) -> None:
        regions = self._regions(ctx)
        self._departements(ctx, regions, {})
        self._bassins(ctx)


@pytest.fixture
def territories(db) -> None:
    report = run_dataset(GeoTerritories())
    assert report.status == "success", report.error


def import_rome() -> None:
    """Import the ROME 4.0 referential (its importer must exist: no silent skip)."""
    report = run_dataset(all_datasets()["rome"]())
    assert report.status == "success", report.error


@pytest.fixture
def labour_folder(tmp_path: Path) -> Path:
    """A writable copy of the built-in labour files, for tests that break them on purpose."""
    target = tmp_path / "labour"
    shutil.copytree(LABOUR_DATA, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            return handle.read()
    return path.read_text(encoding="utf-8")


def write_text(path: Path, text: str) -> None:
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))
    else:
        path.write_text(text, encoding="utf-8", newline="")
