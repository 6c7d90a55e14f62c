"""The dependency rule between apps (docs/architecture.md), written as import-linter contracts in pyproject.toml.

`lint-imports` checks the project's real import graph; the other tests add one forbidden import to a copy of that
graph and check that the contracts see it, so that a contract loosened by mistake (a layer merged, a wrong
exception) fails here.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter import api  # noqa: F401 - configures import-linter's readers and graph builder
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "pyproject.toml")


def test_the_apps_keep_the_dependency_rule():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", CONFIG, "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("spro", cache_dir=None)


def broken_contracts(graph: grimp.ImportGraph, importer: str, imported: str) -> set[str]:
    """The ids of the contracts broken once `importer` imports `imported`."""
    graph = copy.deepcopy(graph)
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    options = use_cases.read_user_options(CONFIG)
    use_cases._register_contract_types(options)
    report = use_cases._build_report(
        graph=graph,
        graph_building_duration=0,
        user_options=options,
        limit_to_contracts=(),
        show_timings=False,
        verbose=False,
    )
    assert not report.could_not_run, report.invalid_contract_options
    return {
        contract.contract_options["id"]
        for contract, check in report.get_contracts_and_checks()
        if not check.kept
    }


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("spro.core.views", "spro.referentials.models"),  # core imports no app
        ("spro.accounts.reminders", "spro.referrals.outbox"),  # e-mails go through spro.core.mail
        ("spro.answer.api", "spro.api.schemas"),  # api only assembles: imported by nobody
        ("spro.directory.api", "spro.api.api"),
        ("spro.referentials.management.commands.import", "spro.search.indexing"),  # a signal, not an import
        ("spro.contacts.views", "spro.referrals.models"),  # same layer: independent
        ("spro.search.service", "spro.accounts.permissions"),
    ],
)
def test_an_import_against_the_layers_is_caught(graph, importer, imported):
    assert broken_contracts(graph, importer, imported) == {"layers"}


def test_the_backends_interface_may_not_import_its_implementations(graph):
    broken = broken_contracts(graph, "spro.search.backends.base", "spro.search.backends.sqlite")
    assert broken == {"search-backends"}


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("spro.answer.views", "spro.referrals.models"),  # downwards: allowed
        ("spro.api.api", "spro.contacts.models"),
        ("spro.referrals.services", "spro.core.mail"),
    ],
)
def test_an_import_downwards_is_allowed(graph, importer, imported):
    assert broken_contracts(graph, importer, imported) == set()
