"""Calendars (ICS, RFC 5545) for every app: a pathway's appointments, convention dates, events.

One home so that every feed has the same product identifier, time zone handling and escaping: the `icalendar`
library writes the file (folding, escaping of commas and semicolons, CRLF), this module only maps plain values onto
it. Aware datetimes are written in UTC (`…Z`), which every calendar reads; a `date` makes an all-day event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

PRODID = "-//spro//service public régional de l’orientation//FR"


@dataclass(frozen=True)
class CalendarEvent:
    """One event. `uid` must be stable across downloads (a calendar updates the event instead of duplicating it):
    build it from the object's kind and primary key, e.g. ``f"rdv-{action.public_id}"``."""

    uid: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None
    summary: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False


def _domain() -> str:
    return urlsplit(getattr(settings, "SPRO_SITE_URL", "") or "").hostname or "spro.invalid"


def _moment(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC)
    return value


def calendar_bytes(events: Iterable[CalendarEvent], name: str) -> bytes:
    """The ICS file of `events`, named `name` (shown by calendar applications for a subscribed feed)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    domain = _domain()
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"{event.uid}@{domain}")
        item.add("dtstamp", stamp)
        item.add("dtstart", _moment(event.start))
        if event.end is not None:
            item.add("dtend", _moment(event.end))
        elif not isinstance(event.start, dt.datetime):
            item.add("dtend", event.start + dt.timedelta(days=1))
        item.add("summary", event.summary)
        if event.description:
            item.add("description", event.description)
        if event.location:
            item.add("location", event.location)
        if event.url:
            item.add("url", event.url)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        cal.add_component(item)
    return cal.to_ical()


def ics_response(events: Iterable[CalendarEvent], name: str, filename: str) -> HttpResponse:
    """An attachment download; `filename` without directory parts, ending in `.ics`."""
    safe = "".join(c for c in filename if c.isalnum() or c in "-_.") or "calendrier.ics"
    if not safe.endswith(".ics"):
        safe += ".ics"
    response = HttpResponse(calendar_bytes(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
