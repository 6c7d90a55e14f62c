"""Freshness of the directory: records not verified for six months are "à vérifier".

`stale_structures()` lists them; `remind_stale()` sends the `stale_structures_found` signal with them, which is the
hook for the e-mail to each structure's admins: the accounts app connects `spro.accounts.reminders.remind_admins`,
which writes one e-mail per admin to the outbox.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.functions import Coalesce
from django.dispatch import Signal

from spro.directory.models import Structure, stale_before

#: Sent by `spro directory remind-stale` with `structures` (a list of Structure) and `today`.
stale_structures_found = Signal()


def stale_structures(today: dt.date | None = None) -> list[Structure]:
    checked = Coalesce("date_verification", "date_maj")  # NULLs sort differently on SQLite and PostgreSQL
    return list(
        Structure.objects.active().stale(today).select_related("commune").order_by(checked, "nom", "pk")
    )


def remind_stale(today: dt.date | None = None) -> tuple[list[Structure], int]:
    """The stale structures, and how many reminders the receivers wrote (the accounts app mails each structure's
    admins; a receiver that returns no count counts for one)."""
    structures = stale_structures(today)
    responses = (
        stale_structures_found.send(sender=Structure, structures=structures, today=today)
        if structures
        else []
    )
    return structures, sum(r if isinstance(r, int) else 1 for _, r in responses)


def limit(today: dt.date | None = None) -> dt.date:
    return stale_before(today)
