"""Erasure is real in the database files: after `spro referrals anonymise`, the erased values are nowhere in the
SQLite database file or its write-ahead log (on PostgreSQL, see docs/referrals.md: VACUUM)."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from spro.referrals import workflow
from spro.referrals.models import OutboxMessage, Referral

from .conftest import make_referral

FIRST_NAME = "Zéphyrine"
EMAIL = "zephyrine.erase-me-7f3a@example.org"
MESSAGE = "Mon numéro de dossier secret est 4417-XQ"


_READ_IN_A_CHILD = """
import json, sys
from pathlib import Path
name, values = sys.argv[1], json.loads(sys.argv[2])
found = []
for path in (Path(name), Path(name + "-wal")):
    if path.exists():
        data = path.read_bytes()
        found += [f"{value!r} in {path.name}" for value in values if value.encode() in data]
print(json.dumps(found))
"""


def _found(values: list[str]) -> list[str]:
    """The values present in the SQLite database file or its write-ahead log, read by a child process.

    Never open the database file from this process: closing any descriptor of it drops every POSIX lock the
    process's SQLite connections hold on it (sqlite.org/howtocorrupt.html §2.2); a later subprocess that closes
    the database (the gunicorn test's workers) then believes it is the last, deletes the WAL and shared-memory
    files, and every connection of the test run fails with « disk I/O error ».
    """
    result = subprocess.run(
        [sys.executable, "-c", _READ_IN_A_CHILD, connection.settings_dict["NAME"], json.dumps(values)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


@pytest.mark.django_db(transaction=True)
def test_anonymise_leaves_no_erased_value_in_the_sqlite_files(structure, conseiller, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite files only")
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 1
    referral, _ = make_referral(structure, first_name=FIRST_NAME, contact=EMAIL, message=MESSAGE)
    workflow.apply(referral, "voir", user=conseiller)  # a status e-mail to the person, in the outbox
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    assert OutboxMessage.objects.filter(to=EMAIL).exists()
    assert _found([FIRST_NAME, EMAIL, MESSAGE])  # the test can see them before

    out = io.StringIO()
    call_command("referrals", "anonymise", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["anonymisees"] == 1 and "wal_checkpoint" in result["purge"]
    assert _found([FIRST_NAME, EMAIL, MESSAGE]) == []


@pytest.mark.django_db(transaction=True)
def test_anonymise_with_vacuum_runs_on_either_database(structure):
    out = io.StringIO()
    call_command("referrals", "anonymise", "--vacuum", stdout=out)
    assert out.getvalue().startswith("0 demande(s) anonymisée(s)")
    if connection.vendor == "postgresql":
        assert "VACUUM" in out.getvalue()
