"""Helpers for import tests: copies of the built-in files that tests may break on purpose."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def geo_folder(tmp_path: Path) -> Path:
    """A writable copy of the built-in geography files."""
    target = tmp_path / "geo"
    shutil.copytree(Path(settings.DATA_DIR) / "geo", target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def read_gz_text(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read()


def write_gz_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with gzip.open(path, "wb") as handle:
        handle.write(text.encode(encoding))
