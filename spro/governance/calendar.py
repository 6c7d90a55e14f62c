"""The computed life of a convention (articles 5 and 6 of the SPRO convention): periods, tacit renewals, end.

Pure functions on dates, no database. The rules, exactly as `spro conventions calendrier` prints them
(docs/gouvernance.md, « Dates d’une convention »):

* anniversaries `A_k` = effect date + k years, always computed from the effect date (a 29 February gives the
  28 February in the other years, and the 29 February again in leap years);
* period k runs from `A_k` to the day before `A_{k+1}`, both included; no period starts after the last day in force
  (the CPRDFOP's end date, or the end after a notice), which also cuts the last period;
* a notice of termination sent on date D ends the convention on D + 2 calendar months (same day of the month, or the
  last day of that month when it has no such day), that day included — unless the CPRDFOP ends first (strictly
  before);
* `fin` is the last day in force, `motif_fin` is `cprdfop` or `denonciation`, and `prochaine_reconduction` is the
  first anniversary strictly after the reference day (`au`, today by default) and after the effect date on which a
  new period starts, or None.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Month arithmetic has its home in core (lower layers use it too); re-exported here for the conventions' callers.
from spro.core.months import add_months as add_months

NOTICE_MONTHS = 2
ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")

END_CPRDFOP = "cprdfop"
END_NOTICE = "denonciation"


class CalendarError(ValueError):
    """Dates that do not make a convention's life; the message is French."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Life:
    effect: date
    cprdfop_end: date
    notice: date | None
    notice_end: date | None  # D + 2 months, even when the CPRDFOP ends first
    periods: tuple[Period, ...]
    end: date  # last day in force
    end_reason: str  # END_CPRDFOP or END_NOTICE
    next_renewal: date | None  # relative to `on`
    on: date

    @property
    def last_possible_end(self) -> date:
        """The CPRDFOP's end date: no renewal goes beyond it."""
        return self.cprdfop_end

    def current_period(self) -> Period | None:
        return next((period for period in self.periods if period.contains(self.on)), None)

    def in_force(self) -> bool:
        return self.effect <= self.on <= self.end

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON document, keys in the contract's order."""
        return {
            "periodes": [{"debut": p.start.isoformat(), "fin": p.end.isoformat()} for p in self.periods],
            "fin": self.end.isoformat(),
            "motif_fin": self.end_reason,
            "prochaine_reconduction": self.next_renewal.isoformat() if self.next_renewal else None,
        }


def anniversary(effect: date, years: int) -> date:
    """Effect date + `years` years, from the effect date itself (29 February → 28 February in common years)."""
    year = effect.year + years
    if effect.month == 2 and effect.day == 29 and not _calendar.isleap(year):
        return date(year, 2, 28)
    return effect.replace(year=year)


def notice_end(sent_on: date) -> date:
    """The last day in force after a notice of termination sent on `sent_on`."""
    return add_months(sent_on, NOTICE_MONTHS)


def parse_date(value: str, label: str) -> date:
    """A strict AAAA-MM-JJ date, or a CalendarError naming the field."""
    text = (value or "").strip()
    if not ISO_DATE.match(text):
        raise CalendarError(f"{label} : « {value} » n’est pas une date au format AAAA-MM-JJ.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CalendarError(f"{label} : « {value} » n’est pas une date qui existe.") from None


def life(effect: date, cprdfop_end: date, notice: date | None = None, on: date | None = None) -> Life:
    """Compute a convention's life. `on` is the reference day for the next renewal (today by default)."""
    if cprdfop_end < effect:
        raise CalendarError(
            f"La fin du CPRDFOP ({cprdfop_end:%d/%m/%Y}) précède la date d’effet ({effect:%d/%m/%Y}) : "
            "la convention n’aurait aucune période."
        )
    if notice is not None and notice < effect:
        raise CalendarError(
            f"La dénonciation ({notice:%d/%m/%Y}) précède la date d’effet ({effect:%d/%m/%Y}) : "
            "une convention ne se dénonce qu’une fois entrée en vigueur."
        )
    reference = on if on is not None else date.today()
    after_notice = notice_end(notice) if notice is not None else None
    if after_notice is not None and after_notice <= cprdfop_end:
        end, reason = after_notice, END_NOTICE
    else:
        end, reason = cprdfop_end, END_CPRDFOP
    periods: list[Period] = []
    k = 0
    while (start := anniversary(effect, k)) <= end:
        following = anniversary(effect, k + 1)
        periods.append(Period(start, min(following - timedelta(days=1), end)))
        k += 1
    next_renewal = next(
        (p.start for p in periods if p.start > reference and p.start > effect),
        None,
    )
    return Life(
        effect=effect,
        cprdfop_end=cprdfop_end,
        notice=notice,
        notice_end=after_notice,
        periods=tuple(periods),
        end=end,
        end_reason=reason,
        next_renewal=next_renewal,
        on=reference,
    )
