"""A non-editable install (the wheel a Region builds for an image, docs/deploy.md) works outside the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# In the child: the installed copy must be the one imported, and Django must find every template, static file
# and rules file of the checkout in it.
CHILD = r"""
import json, sys
from pathlib import Path
import django
django.setup()
import spro
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import get_template
from spro.answer import rules
expected = json.loads(sys.argv[1])
assert Path(spro.__file__).resolve().is_relative_to(Path(sys.argv[2]).resolve()), spro.__file__
for name in expected["templates"]:
    get_template(name)
for name in expected["static"]:
    assert finders.find(name), name
rules.load_rules()
from spro.core import normaliser
assert normaliser.SYNONYMS_FILE.is_file(), normaliser.SYNONYMS_FILE
call_command("check", fail_level="ERROR")
print("ok", len(expected["templates"]), len(expected["static"]))
"""


def _package_files() -> list[Path]:
    """The files under spro/ that are not Python code (templates, static, rules, data), from git."""
    listed = subprocess.run(
        ["git", "ls-files", "spro"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [Path(p) for p in listed if not p.endswith(".py")]


def _pip(*args: str | Path) -> None:
    # the build environment's setuptools comes from the package index, as for `make install`
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the checkout's files")
def test_wheel_carries_templates_static_and_rules_and_runs_outside_the_checkout(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "spro", source / "spro", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _pip("wheel", "--no-deps", "-q", "-w", wheels, source)
    (wheel,) = wheels.glob("spro-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    files = _package_files()
    assert files, "no data files found under spro/"
    missing = [str(p) for p in files if p.as_posix() not in names]
    assert not missing, f"not in the wheel: {missing}"

    target = tmp_path / "site"
    _pip("install", "--no-deps", "-q", "--target", target, wheel)
    templates = ["/".join(p.parts[p.parts.index("templates") + 1 :]) for p in files if "templates" in p.parts]
    static = ["/".join(p.parts[p.parts.index("static") + 1 :]) for p in files if "static" in p.parts]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPRO_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        PYTHONPATH=str(target),
        DJANGO_SETTINGS_MODULE="spro.settings",
        SPRO_VAR_DIR=str(tmp_path / "var"),
        SPRO_DATA_DIR=str(ROOT / "data"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'spro.sqlite3'}",
    )
    (tmp_path / "var").mkdir()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps({"templates": templates, "static": static}), str(target)],
        cwd=tmp_path,  # not the checkout: `import spro` must find the installed copy
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.splitlines()[-1].split()[0] == "ok" and len(templates) > 40 and static
