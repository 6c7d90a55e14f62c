"""`spro import all` rebuilds the search index only when something changed since the last build: a second run
that writes nothing skips the rebuild, but an import whose changes were not followed by a rebuild is caught up.

The referentials do not import the search app (docs/architecture.md): the command sends
`referentials_imported`, which the search app's receiver answers."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from spro.referentials.importing.registry import all_datasets
from spro.referentials.models import ImportRun
from spro.referentials.signals import referentials_imported
from spro.search import indexing
from spro.search.indexing import index_is_current, refresh_after_import
from spro.search.models import IndexBuild

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


def test_the_search_app_listens_to_the_referentials_import(monkeypatch):
    calls = []

    def recorder(sender, **kwargs):
        calls.append((kwargs["changed"], kwargs["only_if_missing"]))
        return "line"

    monkeypatch.setattr(indexing, "refresh_after_import", recorder)
    responses = [
        line for _, line in referentials_imported.send(sender=None, changed=False, only_if_missing=True)
    ]
    assert responses == ["line"]
    assert calls == [(False, True)]


def test_starting_django_loads_neither_the_index_builder_nor_numpy():
    """The receiver imports the builder when an import ends: the outbox worker and the LHÉO import workers, which
    never search, do not carry numpy and the index code (13 MB per process)."""
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'spro.settings'); django.setup(); "
        "print(sorted(m for m in ('numpy', 'spro.search.indexing') if m in sys.modules))"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{os.devnull}"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_receiver_rebuilds_only_a_stale_index_and_says_so():
    IndexBuild.objects.create(documents=1)
    assert (
        refresh_after_import(None, changed=False)
        == "Index de recherche : à jour (aucun changement), non reconstruit"
    )
    assert IndexBuild.objects.count() == 1
    message = refresh_after_import(None, changed=True)
    assert re.fullmatch(r"Index de recherche : \d+ documents en [0-9.]+ s", message)
    assert IndexBuild.objects.count() == 2


def test_import_all_if_empty_builds_a_missing_index_through_the_signal():
    for name in all_datasets():
        ImportRun.objects.create(dataset=name, status=ImportRun.Status.SUCCESS, counts={})
    out = io.StringIO()
    call_command("import", "all", "--if-empty", "--no-progress", stdout=out)
    assert "Référentiels déjà importés : rien à faire." in out.getvalue()
    assert re.search(r"Index de recherche : \d+ documents en [0-9.]+ s", out.getvalue())
    assert IndexBuild.objects.count() == 1

    again = io.StringIO()
    call_command("import", "all", "--if-empty", "--no-progress", stdout=again)
    assert "Index de recherche" not in again.getvalue()  # already built: nothing to do
    assert IndexBuild.objects.count() == 1
