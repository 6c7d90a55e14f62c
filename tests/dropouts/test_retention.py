"""Closing a campaign and purging the young people whose every campaign was closed long enough ago."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spro.audit.models import AuditEvent
from spro.dropouts import retention
from spro.dropouts.models import (
    Campaign,
    ContactAttempt,
    FollowUp,
    ImportedLine,
    Listing,
    MergeRecord,
    ReturnRequest,
    SituationRecord,
    Solution,
    YoungPerson,
)
from tests.dropouts.conftest import line, run_import, write_list

pytestmark = pytest.mark.django_db


def _people(tmp_path):
    """Three young people: « seul » listed in 2025-09 only, « repris » in 2025-09 and again in 2025-11 (a merge),
    « récent » in 2025-11 only."""
    first = write_list(
        tmp_path,
        line(ine="0000000001A", nom="Seul", telephone="06 00 00 00 01"),
        line(ine="0000000002A", nom="Repris", telephone="06 00 00 00 02"),
        name="a.csv",
    )
    run_import(first, "2025-09")
    second = write_list(
        tmp_path,
        line(ine="0000000002A", nom="Repris", telephone="06 00 00 00 22"),
        line(ine="0000000003A", nom="Recent", telephone="06 00 00 00 03"),
        name="b.csv",
    )
    run_import(second, "2025-11")
    return {p.nom: p for p in YoungPerson.objects.all()}


def _close(code: str, on: date) -> None:
    Campaign.objects.filter(code=code).update(closed_on=on)


def test_only_those_whose_every_campaign_closed_long_ago_are_purged(tmp_path, settings):
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 12
    people = _people(tmp_path)
    alone = people["Seul"]
    ContactAttempt.objects.create(
        person=alone, channel="telephone", made_on=date(2025, 10, 1), result="joint"
    )
    SituationRecord.objects.create(person=alone, situation="sans_solution", found_on=date(2025, 10, 1))
    solution = Solution.objects.create(person=alone, solution_type="e2c", started_on=date(2025, 10, 2))
    FollowUp.objects.create(solution=solution, month=3, due_on=date(2026, 1, 2))
    ReturnRequest.objects.create(person=alone, requested_on=date(2025, 10, 3), channel="telephone")
    today = date(2027, 6, 15)
    _close("2025-09", date(2026, 1, 10))  # closed 17 months before `today`
    # 2025-11 stays open: « Repris » is kept whole, with its 2025-09 listing and its merge
    result = retention.purge(today=today)
    assert result.jeunes == 1
    assert set(YoungPerson.objects.values_list("nom", flat=True)) == {"Repris", "Recent"}
    assert not Listing.objects.filter(person_id=people["Seul"].pk).exists()
    assert not ImportedLine.objects.filter(person_id=people["Seul"].pk).exists()
    for model in (ContactAttempt, SituationRecord, Solution, FollowUp, ReturnRequest):  # the chain's work too
        assert not model.objects.exists(), model
    kept = people["Repris"]
    assert Listing.objects.filter(person=kept).count() == 2
    assert MergeRecord.objects.filter(person=kept).count() == 1

    _close("2025-11", date(2026, 3, 1))  # now both campaigns closed long ago
    again = retention.purge(today=today)
    assert again.jeunes == 2
    assert again.fusions == 1
    assert not YoungPerson.objects.exists()
    assert (
        not Listing.objects.exists()
        and not ImportedLine.objects.exists()
        and not MergeRecord.objects.exists()
    )
    assert retention.purge(today=today).jeunes == 0  # idempotent


def test_the_boundary_day(tmp_path, settings):
    """Closed on D with N months: kept on D + N months, deleted from D + N months + 1 day, the announced date."""
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 6
    _people(tmp_path)
    closed = date(2026, 8, 31)
    _close("2025-09", closed)
    _close("2025-11", closed)
    campaign = Campaign.objects.get(code="2025-09")
    erasure = retention.erasure_date(campaign)
    assert erasure == date(2027, 3, 1)  # 28 February 2027 (no 31st) + 1 day
    assert retention.purge(today=erasure - timedelta(days=1), dry_run=True).jeunes == 0
    assert retention.purge(today=erasure - timedelta(days=1)).jeunes == 0
    assert YoungPerson.objects.count() == 3
    assert retention.purge(today=erasure).jeunes == 3


def test_a_campaign_closed_recently_keeps_its_young_people(tmp_path, settings):
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 12
    _people(tmp_path)
    today = date(2027, 6, 15)
    _close("2025-09", date(2026, 1, 10))
    _close("2025-11", date(2026, 7, 1))  # less than 12 months before `today`
    assert retention.purge(today=today).jeunes == 1  # « Seul » only
    assert set(YoungPerson.objects.values_list("nom", flat=True)) == {"Repris", "Recent"}


def test_dry_run_writes_nothing_and_a_purge_writes_one_audit_record_without_names(tmp_path, settings):
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 12
    _people(tmp_path)
    _close("2025-09", date(2020, 1, 1))
    _close("2025-11", date(2020, 1, 1))
    out = StringIO()
    call_command("decrochage", "purger", "--dry-run", "--json", stdout=out)
    counted = json.loads(out.getvalue())
    assert counted["jeunes"] == 3 and counted["simulation"] is True
    assert YoungPerson.objects.count() == 3
    assert not AuditEvent.objects.filter(action="dropout.purge").exists()

    out = StringIO()
    call_command("decrochage", "purger", stdout=out)
    assert "3 jeune(s) effacé(s)" in out.getvalue()
    assert not YoungPerson.objects.exists()
    event = AuditEvent.objects.get(action="dropout.purge")
    assert event.detail.startswith("3 jeune(s) effacé(s)")
    for name in ("Seul", "Repris", "Recent", "Maëlys"):
        assert name not in event.detail

    out = StringIO()
    call_command("decrochage", "purger", "--json", stdout=out)
    assert json.loads(out.getvalue())["jeunes"] == 0


def test_a_failure_during_the_purge_deletes_nothing(tmp_path, settings, monkeypatch):
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 12
    _people(tmp_path)
    _close("2025-09", date(2020, 1, 1))
    _close("2025-11", date(2020, 1, 1))
    monkeypatch.setattr(retention, "BATCH", 1)  # three statements: the failure comes after a first deletion

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(retention.audit, "record", broken)
    with pytest.raises(RuntimeError):
        retention.purge()
    assert YoungPerson.objects.count() == 3
    assert Listing.objects.count() == 4


def test_cloturer_closes_once_and_says_when_the_young_people_go(tmp_path, settings):
    settings.SPRO_DROPOUT_RETENTION_MONTHS = 12
    _people(tmp_path)
    out = StringIO()
    call_command("decrochage", "cloturer", "--campagne", "2025-09", stdout=out)
    campaign = Campaign.objects.get(code="2025-09")
    assert campaign.closed_on == date.today()
    assert f"{retention.erasure_date(campaign):%d/%m/%Y}" in out.getvalue()
    assert AuditEvent.objects.filter(action="dropout.campaign_close", object_id=str(campaign.pk)).count() == 1
    with pytest.raises(CommandError, match="déjà close"):
        call_command("decrochage", "cloturer", "--campagne", "2025-09")
    with pytest.raises(CommandError, match="inconnue"):
        call_command("decrochage", "cloturer", "--campagne", "2024-01")
    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("decrochage", "cloturer", "--campagne", "septembre")
    assert Campaign.objects.filter(closed_on__isnull=False).count() == 1


@pytest.mark.parametrize("value", ["0", "-3", "douze"])
def test_a_bad_retention_setting_is_refused(settings, value):
    from django.core.exceptions import ImproperlyConfigured

    settings.SPRO_DROPOUT_RETENTION_MONTHS = value
    with pytest.raises(ImproperlyConfigured, match="SPRO_DROPOUT_RETENTION_MONTHS"):
        retention.purge()
