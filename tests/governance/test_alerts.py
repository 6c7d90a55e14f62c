"""Alerts before a tacit renewal and before the end of a notice (`spro conventions alertes`): due dates, recipients,
never twice the same; and the ICS events of the conventions' dates."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from spro.core.ics import calendar_bytes
from spro.governance import alerts
from spro.governance.models import SentAlert, TerminationNotice
from spro.referrals.models import OutboxMessage

D = dt.date.fromisoformat


def test_no_alert_before_the_window(users, convention):
    assert alerts.due_alerts(D("2025-12-14")) == []  # renewal on 2026-03-15, 90 days before = 2025-12-15


def test_renewal_alert_is_due_in_the_window_and_sent_to_the_region_pilots_once(users, convention):
    due = alerts.due_alerts(D("2025-12-15"))
    assert [(a.kind, a.due_on) for a in due] == [("reconduction", D("2026-03-15"))]
    assert alerts.run(today=D("2025-12-15")) == due
    messages = list(OutboxMessage.objects.all())
    assert [m.to for m in messages] == ["region@example.org"]
    assert "15/03/2026" in messages[0].subject
    assert "au plus tard le 14/01/2026" in messages[0].body
    assert alerts.run(today=D("2025-12-16")) == []  # never twice
    assert OutboxMessage.objects.count() == 1
    assert SentAlert.objects.get().recipients == 1


def test_the_next_renewal_gets_its_own_alert(users, convention):
    alerts.run(today=D("2025-12-15"))
    convention.cprdfop_end = D("2030-12-31")
    convention.save()
    assert [a.due_on for a in alerts.run(today=D("2026-12-20"))] == [D("2027-03-15")]


def test_dry_run_lists_without_sending_or_recording(users, convention):
    assert len(alerts.run(dry_run=True, today=D("2026-01-01"))) == 1
    assert not OutboxMessage.objects.exists()
    assert not SentAlert.objects.exists()


def test_without_a_pilot_nothing_is_recorded_so_it_goes_later(users, convention):
    users["pilote_region"].scopes.all().delete()
    assert alerts.run(today=D("2026-01-01")) == []
    assert not SentAlert.objects.exists()


def test_notice_end_alert_replaces_the_renewal_alert(users, convention):
    TerminationNotice.objects.create(convention=convention, sent_on=D("2025-12-31"), sent_by="État")
    due = alerts.due_alerts(D("2026-01-29"))
    assert [(a.kind, a.due_on) for a in due] == [("fin_preavis", D("2026-02-28"))]
    assert alerts.due_alerts(D("2026-01-28")) == []  # 30 days before
    assert alerts.due_alerts(D("2026-03-01")) == []  # after the end


def test_a_draft_gets_no_alert(users, convention):
    convention.signed_on = None
    convention.save()
    assert alerts.due_alerts(D("2026-01-01")) == []


def test_the_command_is_idempotent(users, convention, monkeypatch):
    monkeypatch.setattr(alerts.timezone, "localdate", lambda *a: D("2026-01-01"))
    out = StringIO()
    call_command("conventions", "alertes", "--dry-run", stdout=out)
    assert "1 alerte(s) à envoyer" in out.getvalue()
    call_command("conventions", "alertes", stdout=out)
    call_command("conventions", "alertes", stdout=out)
    assert "0 alerte(s) envoyée(s)" in out.getvalue().splitlines()[-1]
    assert OutboxMessage.objects.count() == 1


def test_ics_events_of_the_dates(convention):
    events = alerts.calendar_events(D("2025-12-01"))
    assert [(e.start, e.summary.split(" :")[0]) for e in events] == [
        (D("2026-03-15"), "Reconduction tacite"),
        (D("2026-01-14"), "Dernier jour pour dénoncer avant reconduction"),
        (D("2027-03-14"), "Fin de la convention (fin du CPRDFOP)"),
    ]
    body = calendar_bytes(events, "Conventions").decode()
    assert "DTSTART;VALUE=DATE:20260315" in body
    assert f"UID:convention-{convention.pk}-fin@" in body


@pytest.mark.parametrize("days", [1, 45])
def test_alert_windows_come_from_settings(settings, users, convention, days):
    settings.SPRO_CONVENTION_ALERT_RENEWAL_DAYS = days
    due = alerts.due_alerts(D("2026-03-15") - dt.timedelta(days=days))
    assert len(due) == 1
    assert alerts.due_alerts(D("2026-03-15") - dt.timedelta(days=days + 1)) == []
