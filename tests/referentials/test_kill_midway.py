"""A `spro import` killed in the middle of its writes leaves the previous data intact (nothing half-written)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Commune
from spro.referentials.importing import run_dataset
from spro.referentials.models import ImportRun
from tests.subprocesses import database_url_of_test_db

from .conftest import read_gz_text, write_gz_text

pytestmark = pytest.mark.django_db(transaction=True)


def spro_command() -> list[str]:
    return [str(Path(sys.executable).with_name("spro"))]


def test_killed_import_leaves_the_previous_release_intact(geo_folder):
    assert run_dataset(GeoDataset()).status == "success"
    path = geo_folder / "communes_fr_2026.csv.gz"
    rows = list(csv.reader(io.StringIO(read_gz_text(path))))
    for row in rows[1:]:
        row[1] += "-v2"  # a "newer release" renaming every commune
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    write_gz_text(path, out.getvalue())
    runs_before = ImportRun.objects.count()

    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), "PYTHONUNBUFFERED": "1"}
    seen = []
    deadline = time.monotonic() + 120
    with subprocess.Popen(
        [*spro_command(), "import", "geo", str(geo_folder), "-v", "2", "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    ) as child:
        try:
            for line in child.stderr:
                seen.append(line)
                if "geo.Commune: updated" in line:  # a first batch of new names is written, uncommitted
                    child.send_signal(signal.SIGKILL)
                    break
                assert time.monotonic() < deadline, "the import never reached the commune updates"
        finally:
            child.kill()
            child.wait(timeout=30)
    assert any("geo.Commune: updated" in line for line in seen), "".join(seen)[-2000:]
    assert child.returncode == -signal.SIGKILL

    assert Commune.objects.filter(nom__endswith="-v2").count() == 0
    assert Commune.objects.get(pk="35238").nom == "Rennes"
    assert Commune.objects.count() == 35014
    assert ImportRun.objects.count() == runs_before  # the killed run left no trace either

    # and the next complete run applies the new release in full
    report = run_dataset(GeoDataset(), path=geo_folder)
    assert report.status == "success", report.error
    assert Commune.objects.get(pk="35238").nom == "Rennes-v2"


def test_cli_exit_code_is_nonzero_on_bad_input(tmp_path):
    (tmp_path / "broken.csv").write_text("code_insee,nom\n01001,Ain\n", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db()}
    result = subprocess.run(
        [*spro_command(), "import", "geo", str(tmp_path / "broken.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "broken.csv, line 1, field 'type': missing column(s) type" in result.stderr
    assert Commune.objects.count() == 0
