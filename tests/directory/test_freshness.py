"""Freshness: records not verified for six months are flagged, listed by `spro directory remind-stale`, and handed
to the reminder hook (the `stale_structures_found` signal)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from spro.directory.freshness import remind_stale, stale_structures_found
from spro.directory.models import Structure

from .conftest import import_file, structure

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def records(geo, write_document):
    report = import_file(
        write_document(
            [
                structure("fresh", date_verification="2026-10-01"),
                structure("old", nom="Vérifiée il y a longtemps", date_verification="2026-04-01"),
                structure("never", nom="Jamais vérifiée", date_maj="2025-01-10", date_verification=None),
                structure(
                    "updated", nom="Mise à jour récente", date_maj="2026-11-01", date_verification=None
                ),
            ]
        )
    )
    assert report.status == "success", report.error


def test_stale_means_last_verification_or_update_older_than_six_months(records):
    stale = set(Structure.objects.stale(TODAY).values_list("di_id", flat=True))
    assert stale == {"test--old", "test--never"}
    assert Structure.objects.get(di_id="test--old").is_stale


def test_remind_stale_lists_them_and_calls_the_hook(records):
    received = []

    def receiver(sender, structures, today, **kwargs):
        received.append([s.di_id for s in structures])

    stale_structures_found.connect(receiver)
    try:
        structures, notified = remind_stale(TODAY)
    finally:
        stale_structures_found.disconnect(receiver)
    assert notified == 1 and received == [["test--never", "test--old"]]
    assert [s.di_id for s in structures] == ["test--never", "test--old"]


def test_command_lists_stale_structures(records):
    out = io.StringIO()
    call_command("directory", "remind-stale", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {row["id"] for row in data["structures"]} >= {"test--old", "test--never"}
    assert data["notifies"] == 0
    text = io.StringIO()
    call_command("directory", "remind-stale", stdout=text)
    assert "Jamais vérifiée" in text.getvalue() and "0 rappel(s)" in text.getvalue()


def test_export_flags_stale_records(records):
    from spro.directory.datainclusion import export_document

    flags = {s["id"]: s["verification_perimee"] for s in export_document(today=TODAY)["structures"]}
    assert flags == {"test--fresh": False, "test--old": True, "test--never": True, "test--updated": False}
