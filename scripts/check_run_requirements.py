"""Prove that the run requirements alone (requirements/base.txt, no test tools) are enough to run spro.

Builds a fresh virtualenv from requirements/base.txt only (hash-checked), imports every module under spro/, then runs
`spro check` and `spro migrate` on a throwaway SQLite file with it. The virtualenv is cached under var/ keyed by the
hash of base.txt (and the Python version), so a second run costs only the imports and the migration.

Why: `make test` installs the test tools on top of the run requirements, so a run dependency that only a test tool
pulls in (PyYAML through schemathesis, once) would leave the test suite green and `make run` broken.

Usage: python3.11 scripts/check_run_requirements.py   (stdlib only; prints one line when all is well)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "requirements" / "base.txt"

# Run inside the fresh virtualenv: set Django up, then import every module of the spro package.
IMPORT_ALL = """
import importlib, pkgutil, sys
import django
django.setup()
import spro
failed = []
count = 0
for info in pkgutil.walk_packages(spro.__path__, "spro."):
    try:
        importlib.import_module(info.name)
        count += 1
    except Exception as exc:
        failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
if failed:
    print("modules that do not import with the run requirements alone:", *failed, sep="\\n  ", file=sys.stderr)
    sys.exit(1)
print(count)
"""


def venv_dir() -> Path:
    """var/run-venv-<hash>: a new base.txt (or another Python) gets a new virtualenv; older ones are removed."""
    digest = hashlib.sha256(BASE.read_bytes() + sys.version.encode()).hexdigest()[:16]
    return ROOT / "var" / f"run-venv-{digest}"


def run(args: list[str], env: dict[str, str], what: str) -> str:
    """Run a step; on failure print its output and exit non-zero with a one-line reason."""
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"run requirements: {what} failed (exit {result.returncode})")
    return result.stdout


def build(venv: Path) -> None:
    """Create the virtualenv and install requirements/base.txt with hash checking, nothing else."""
    for old in venv.parent.glob("run-venv-*"):
        if old != venv:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(venv, ignore_errors=True)
    env = clean_env()
    run([sys.executable, "-m", "venv", str(venv)], env, "creating the virtualenv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "--no-deps", "-r", str(BASE)], env, "pip install -r requirements/base.txt")
    # --no-deps above installs exactly the lock; `pip check` then proves the lock holds every dependency.
    run(
        [str(venv / "bin" / "python"), "-m", "pip", "check"],
        env,
        "pip check (a dependency missing from the lock)",
    )
    (venv / ".complete").touch()


def clean_env() -> dict[str, str]:
    """The caller's environment without anything that could leak the development virtualenv in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SPRO_ENV", "SPRO_VAR_DIR"):
        env.pop(name, None)
    return env


def main() -> None:
    venv = venv_dir()
    venv.parent.mkdir(parents=True, exist_ok=True)
    cached = (venv / ".complete").exists()
    if not cached:
        build(venv)
    python = str(venv / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="spro-run-requirements-") as tmp:
        env = clean_env()
        # The repository is on the path (as `pip install -e .` would put it), nothing else from the development venv.
        env.update(
            PYTHONPATH=str(ROOT),
            PYTHONNOUSERSITE="1",
            DJANGO_SETTINGS_MODULE="spro.settings",
            DATABASE_URL=f"sqlite:///{tmp}/run-requirements.sqlite3",
            SPRO_VAR_DIR=tmp,
        )
        manage = [python, "-m", "spro.manage"]
        run([*manage, "check", "--fail-level", "ERROR"], env, "spro check")
        run([*manage, "migrate", "--no-input", "-v", "0"], env, "spro migrate")
        # After the migration, so that modules which read the database when imported (spro.wsgi) find their tables.
        modules = run([python, "-c", IMPORT_ALL], env, "importing every module of spro/").strip()
    state = "cached virtualenv" if cached else "fresh virtualenv"
    print(
        f"run requirements: base.txt alone imports {modules} modules, spro check and migrate pass ({state})"
    )


if __name__ == "__main__":
    main()
