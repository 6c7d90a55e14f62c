"""`spro import all` rebuilds the search index only when something changed since the last build: a second run
that writes nothing skips the rebuild, but an import whose changes were not followed by a rebuild is caught up."""

from __future__ import annotations

from importlib import import_module

import pytest

from spro.referentials.models import ImportRun
from spro.search.models import IndexBuild

index_is_current = import_module("spro.referentials.management.commands.import").index_is_current

pytestmark = pytest.mark.django_db


def run(created: int = 0, *, status: str = ImportRun.Status.SUCCESS, dry_run: bool = False) -> ImportRun:
    counts = {"geo.Commune": {"created": created, "updated": 0, "unchanged": 10, "rejected": 0, "retired": 0}}
    return ImportRun.objects.create(dataset="geo", status=status, dry_run=dry_run, counts=counts)


def test_without_any_index_it_must_be_built():
    run()
    assert not index_is_current()


def test_imports_that_changed_nothing_keep_the_index_current():
    IndexBuild.objects.create(documents=1)
    run()
    run(created=5, status=ImportRun.Status.FAILED)  # rolled back: wrote nothing
    run(created=5, dry_run=True)  # rolled back too
    assert index_is_current()


def test_an_import_with_changes_after_the_last_build_makes_it_stale_until_rebuilt():
    IndexBuild.objects.create(documents=1)
    run(created=3)
    assert not index_is_current()
    IndexBuild.objects.create(documents=2)
    assert index_is_current()
