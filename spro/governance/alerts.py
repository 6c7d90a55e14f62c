"""E-mail alerts before a convention's dates, and the calendar (ICS) of those dates.

Two alerts, to the Region's pilots (`access.region_pilots()`), through the outbox (`spro.core.mail.queue_email`):

* **reconduction**: `SPRO_CONVENTION_ALERT_RENEWAL_DAYS` days (default 90) before the next tacit renewal, with the
  last day a notice may be sent for the convention to end before it;
* **fin de préavis**: `SPRO_CONVENTION_ALERT_NOTICE_DAYS` days (default 30) before the end after a notice.

Each alert is recorded (`SentAlert`, unique per convention, kind and date) in the transaction that queues its
e-mails: `spro conventions alertes` may run every day (or twice), it never sends the same alert twice. An alert
with no recipient (no pilot yet) is not recorded, so it goes once a pilot exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from spro.core.ics import CalendarEvent
from spro.core.mail import queue_email
from spro.governance import access, calendar, services
from spro.governance.models import AlertKind, Convention, SentAlert

DEFAULT_RENEWAL_DAYS = 90
DEFAULT_NOTICE_DAYS = 30


def renewal_days() -> int:
    return int(getattr(settings, "SPRO_CONVENTION_ALERT_RENEWAL_DAYS", DEFAULT_RENEWAL_DAYS))


def notice_days() -> int:
    return int(getattr(settings, "SPRO_CONVENTION_ALERT_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))


def _site() -> str:
    return (getattr(settings, "SPRO_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


@dataclass(frozen=True)
class Alert:
    convention: Convention
    kind: str
    due_on: dt.date
    subject: str
    body: str

    def describe(self) -> str:
        return f"{self.kind}  {self.due_on.isoformat()}  {self.convention.title}"


def _renewal_alert(convention: Convention, life: calendar.Life) -> Alert | None:
    due = life.next_renewal
    if due is None or life.notice is not None or life.on < due - dt.timedelta(days=renewal_days()):
        return None
    limit = services.latest_notice_to_avoid(due)
    url = _site() + reverse("governance:convention", args=[convention.pk])
    body = (
        "Bonjour,\n\n"
        f"La convention « {convention.title} » sera reconduite tacitement le {due:%d/%m/%Y} pour une nouvelle "
        "période d’un an.\n"
        f"Pour qu’elle ne le soit pas, une dénonciation doit être envoyée au plus tard le {limit:%d/%m/%Y} "
        "(préavis de deux mois).\n"
        f"Fin au plus tard (fin du CPRDFOP) : {life.last_possible_end:%d/%m/%Y}.\n\n"
        f"La convention : {url}\n"
    )
    return Alert(
        convention,
        AlertKind.RENEWAL,
        due,
        f"[SPRO] Reconduction le {due:%d/%m/%Y} : {convention.title}",
        body,
    )


def _notice_alert(convention: Convention, life: calendar.Life) -> Alert | None:
    if life.end_reason != calendar.END_NOTICE or life.on > life.end:
        return None
    if life.on < life.end - dt.timedelta(days=notice_days()):
        return None
    url = _site() + reverse("governance:convention", args=[convention.pk])
    body = (
        "Bonjour,\n\n"
        f"La convention « {convention.title} » a été dénoncée le {life.notice:%d/%m/%Y}. "
        f"Son dernier jour en vigueur est le {life.end:%d/%m/%Y} (fin du préavis de deux mois).\n\n"
        f"La convention : {url}\n"
    )
    return Alert(
        convention,
        AlertKind.NOTICE_END,
        life.end,
        f"[SPRO] Fin de préavis le {life.end:%d/%m/%Y} : {convention.title}",
        body,
    )


def due_alerts(today: dt.date | None = None) -> list[Alert]:
    """Alerts due today and not sent yet."""
    day = today or timezone.localdate()
    sent = set(SentAlert.objects.values_list("convention_id", "kind", "due_on"))
    result: list[Alert] = []
    conventions = Convention.objects.filter(
        effective_on__isnull=False, signed_on__isnull=False
    ).select_related("termination_notice")
    for convention in conventions.order_by("pk"):
        life = convention.life(day)
        if life is None:
            continue
        for alert in (_renewal_alert(convention, life), _notice_alert(convention, life)):
            if alert is not None and (convention.pk, alert.kind, alert.due_on) not in sent:
                result.append(alert)
    return result


def run(*, dry_run: bool = False, today: dt.date | None = None) -> list[Alert]:
    """Queue the due alerts (or only list them with `dry_run`); returns those queued (or due)."""
    due = due_alerts(today)
    if dry_run:
        return due
    recipients = [user.email for user in access.region_pilots()]
    if not recipients:
        return []
    done: list[Alert] = []
    for alert in due:
        try:
            with transaction.atomic():
                SentAlert.objects.create(
                    convention=alert.convention,
                    kind=alert.kind,
                    due_on=alert.due_on,
                    recipients=len(recipients),
                )
                for email in recipients:
                    queue_email(email, alert.subject, alert.body)
        except IntegrityError:  # another run recorded it meanwhile: never twice
            continue
        done.append(alert)
    return done


def calendar_events(today: dt.date | None = None) -> list[CalendarEvent]:
    """The conventions' dates as all-day events: next renewal, last day to send a notice before it, end."""
    day = today or timezone.localdate()
    events: list[CalendarEvent] = []
    site = _site()
    for convention in Convention.objects.filter(effective_on__isnull=False).select_related(
        "termination_notice"
    ):
        life = convention.life(day)
        if life is None:
            continue
        url = site + reverse("governance:convention", args=[convention.pk])
        if life.next_renewal is not None:
            limit = services.latest_notice_to_avoid(life.next_renewal)
            events.append(
                CalendarEvent(
                    uid=f"convention-{convention.pk}-reconduction-{life.next_renewal.isoformat()}",
                    start=life.next_renewal,
                    summary=f"Reconduction tacite : {convention.title}",
                    description=f"Dénonciation possible jusqu’au {limit:%d/%m/%Y} (préavis de deux mois).",
                    url=url,
                )
            )
            events.append(
                CalendarEvent(
                    uid=f"convention-{convention.pk}-limite-denonciation-{limit.isoformat()}",
                    start=limit,
                    summary=f"Dernier jour pour dénoncer avant reconduction : {convention.title}",
                    url=url,
                )
            )
        reason = "fin du préavis" if life.end_reason == calendar.END_NOTICE else "fin du CPRDFOP"
        events.append(
            CalendarEvent(
                uid=f"convention-{convention.pk}-fin",
                start=life.end,
                summary=f"Fin de la convention ({reason}) : {convention.title}",
                url=url,
            )
        )
    return events
