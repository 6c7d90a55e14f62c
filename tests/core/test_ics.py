"""Calendars: the ICS files that every app offers parse back, in UTC, with stable identifiers."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.test import override_settings

from spro.core.ics import CalendarEvent, calendar_bytes, ics_response


@override_settings(SPRO_SITE_URL="https://orientation.example.fr:8443/", TIME_ZONE="Europe/Paris")
def test_events_parse_back_in_utc_with_escaped_text_and_all_day_dates():
    data = calendar_bytes(
        [
            CalendarEvent(
                "rdv-1",
                dt.datetime(2027, 1, 5, 10, 0),
                dt.datetime(2027, 1, 5, 11, 0),
                "Rendez-vous, CEP; bilan",
                "Apportez votre CV",
                "Rennes",
            ),
            CalendarEvent("fin-convention-3", dt.date(2027, 3, 14), summary="Fin de la convention"),
        ],
        "Mes rendez-vous",
    )
    assert b"\r\n" in data
    calendar = icalendar.Calendar.from_ical(data)
    first, second = calendar.walk("VEVENT")
    assert str(first["summary"]) == "Rendez-vous, CEP; bilan"
    assert first.decoded("dtstart") == dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)  # 10:00 in Paris, winter
    assert str(first["uid"]) == "rdv-1@orientation.example.fr"
    assert second.decoded("dtstart") == dt.date(2027, 3, 14)
    assert second.decoded("dtend") == dt.date(2027, 3, 15)
    assert str(calendar["x-wr-calname"]) == "Mes rendez-vous"


def test_the_response_is_a_private_attachment_with_a_safe_name():
    response = ics_response([CalendarEvent("x", dt.date(2027, 1, 1))], "Agenda", '../"agenda"')
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="..agenda.ics"'
    assert response["Cache-Control"] == "private, no-store"
