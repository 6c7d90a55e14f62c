"""A hand-written reader for the subset of OpenStreetMap `opening_hours` that reception desks use.

No pinned library reads the syntax (the reference implementation is JavaScript), so the directory accepts this
subset, checked on import and used to answer "is it open at this moment":

* `24/7`;
* rules separated by `;`, each `[days] times` where
  - days: weekdays `Mo Tu We Th Fr Sa Su`, ranges (`Mo-Fr`) and lists (`Mo,We,Fr-Sa`), and `PH` (public holidays);
    no day selector means every day;
  - times: `HH:MM-HH:MM` spans separated by `,` (`08:30-12:00,13:30-17:00`; `24:00` allowed as an end), or
    `off` / `closed`;
* a later rule replaces what earlier rules said for the same days (the OSM rule), so `Mo-Fr 09:00-17:00; We off`
  closes on Wednesdays; an *additional* rule, after a comma, adds to the rule before it
  (`Mo-Fr 08:30-12:30, Mo-We,Fr 13:30-16:30`: mornings every weekday, afternoons except Thursday).

Not supported (reported as "unsupported" on import, kept as text and shown as-is): months, dates, week numbers,
`SH` (school holidays), sunrise/sunset, `+` open ends, comments in quotes, `||` fallback rules. Public-holiday
rules are read but not applied by `is_open` (the holiday calendar is not modelled): on a holiday the weekday rule
answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_LABELS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPAN = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_ITEM = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")
_ADDITIONAL = re.compile(r"(?<=\d|f|d),\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b)")


class OpeningHoursError(ValueError):
    """The text is not in the supported subset; the message says which part."""


@dataclass
class Schedule:
    """Opening spans per weekday (0 = Monday) in minutes since midnight, and the public-holiday rule if any."""

    text: str
    days: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    holidays: list[tuple[int, int]] | None = None
    always: bool = False

    def spans(self, weekday: int) -> list[tuple[int, int]]:
        if self.always:
            return [(0, 24 * 60)]
        return self.days.get(weekday, [])

    def is_open(self, moment: dt.datetime) -> bool:
        minute = moment.hour * 60 + moment.minute
        return any(start <= minute < end for start, end in self.spans(moment.weekday()))

    def hours_on(self, weekday: int) -> str:
        """The day's hours in French (« 9 h–12 h 30, 14 h–17 h »), or « fermé »."""
        spans = self.spans(weekday)
        return ", ".join(f"{french_time(a)}–{french_time(b)}" for a, b in spans) if spans else "fermé"

    def next_opening(
        self, moment: dt.datetime, closed_days: Callable[[dt.date], bool] | None = None, horizon: int = 60
    ) -> dt.datetime | None:
        """The start of the next opening span strictly after `moment` (same day or later), skipping the days
        `closed_days` says are closed (a temporary closure); None when nothing opens within `horizon` days."""
        minute = moment.hour * 60 + moment.minute
        for offset in range(horizon + 1):
            day = moment.date() + dt.timedelta(days=offset)
            if closed_days is not None and closed_days(day):
                continue
            for start, _end in self.spans(day.weekday()):
                if offset or start > minute:
                    return dt.datetime.combine(day, dt.time(start // 60, start % 60), tzinfo=moment.tzinfo)
        return None

    def describe(self) -> list[tuple[str, str]]:
        """(day, hours) lines in French, for the fiche."""
        if self.always:
            return [("tous les jours", "24 h sur 24")]
        lines = []
        for index, label in enumerate(DAY_LABELS):
            spans = self.days.get(index, [])
            text = ", ".join(f"{french_time(a)}–{french_time(b)}" for a, b in spans) if spans else "fermé"
            lines.append((label, text))
        if self.holidays is not None:
            text = ", ".join(f"{french_time(a)}–{french_time(b)}" for a, b in self.holidays) or "fermé"
            lines.append(("jours fériés", text))
        return lines


def french_time(minutes: int) -> str:
    """Minutes after midnight as the pages write a time: « 9 h », « 13 h 30 »."""
    return f"{minutes // 60:02d} h {minutes % 60:02d}" if minutes % 60 else f"{minutes // 60} h"


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    value = int(hours) * 60 + int(minutes)
    if value > 24 * 60:
        raise OpeningHoursError(f"heure invalide : {text}")
    return value


def _days(selector: str) -> tuple[list[int], bool]:
    """Weekday indexes and whether `PH` is named."""
    weekdays: list[int] = []
    holidays = False
    for item in selector.split(","):
        match = _DAY_ITEM.match(item)
        if not match:
            raise OpeningHoursError(f"sélecteur de jours non pris en charge : « {item} »")
        first, last = match.groups()
        if first == "PH":
            holidays = True
            continue
        start, end = DAYS.index(first), DAYS.index(last or first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        weekdays.extend(day for day in span if day not in weekdays)
    return weekdays, holidays


def _spans(text: str) -> list[tuple[int, int]]:
    if text in ("off", "closed"):
        return []
    spans = []
    for part in text.split(","):
        match = _SPAN.match(part.strip())
        if not match:
            raise OpeningHoursError(f"plage horaire non prise en charge : « {part.strip()} »")
        start, end = _minutes(match.group(1)), _minutes(match.group(2))
        if end <= start:
            raise OpeningHoursError(f"plage horaire vide ou inversée : « {part.strip()} »")
        spans.append((start, end))
    spans.sort()
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise OpeningHoursError(f"plages horaires qui se chevauchent : « {text} »")
    return spans


def parse(text: str) -> Schedule:
    """Read `text` or raise OpeningHoursError naming the unsupported part."""
    text = (text or "").strip()
    if not text:
        raise OpeningHoursError("horaires vides")
    if text == "24/7":
        return Schedule(text, always=True)
    schedule = Schedule(text)
    for raw_rule in text.split(";"):
        rule = raw_rule.strip()
        if not rule:
            continue
        # "Mo-Fr 08:30-12:30, Mo-We,Fr 13:30-16:30": an additional rule (after a comma) adds to the first one.
        for position, part in enumerate(_ADDITIONAL.split(rule)):
            weekdays, holidays, spans = _rule(part.strip(), rule)
            for day in weekdays:
                schedule.days[day] = (
                    _merge(schedule.days.get(day, []), spans, rule) if position else list(spans)
                )
            if holidays:
                schedule.holidays = _merge(schedule.holidays or [], spans, rule) if position else list(spans)
    return schedule


def _rule(rule: str, whole: str) -> tuple[list[int], bool, list[tuple[int, int]]]:
    head, _, rest = rule.partition(" ")
    if _DAY_ITEM.match(head.split(",")[0]):
        if not rest.strip():
            raise OpeningHoursError(f"règle sans horaires : « {whole} »")
        weekdays, holidays = _days(head)
        times = rest.strip()
    else:
        weekdays, holidays, times = list(range(7)), False, rule
    return weekdays, holidays, _spans(times.replace(" ", "") if times not in ("off", "closed") else times)


def _merge(current: list[tuple[int, int]], added: list[tuple[int, int]], rule: str) -> list[tuple[int, int]]:
    spans = sorted([*current, *added])
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise OpeningHoursError(f"plages horaires qui se chevauchent : « {rule} »")
    return spans


def check(text: str) -> str | None:
    """None when `text` is in the supported subset, else the reason."""
    try:
        parse(text)
    except OpeningHoursError as exc:
        return str(exc)
    return None
