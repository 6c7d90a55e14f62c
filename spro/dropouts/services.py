"""Assignment again after the zones changed (`spro decrochage affecter`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from spro.dropouts import signals
from spro.dropouts.importing import apply_assignment
from spro.dropouts.models import YoungPerson
from spro.dropouts.rows import update_rows
from spro.dropouts.zones import Assigner


def reassign_all(batch: int = 1000) -> int:
    """Every young person assigned again with the zones in the database; the number whose zone, partner or list
    changed. By batches of primary keys, each in its own transaction."""
    assigner, today, changed, last = Assigner(), timezone.localdate(), 0, 0
    fields = ["zone_id", "partner_id", "priority", "commune", "school_status", "birth_date", "uai"]
    while True:
        with transaction.atomic():
            people = list(
                YoungPerson.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *fields)[:batch]
            )
            if not people:
                break
            ids = [person.pk for person in people]
            signals.work_changing.send(sender=YoungPerson, person_ids=ids)
            moved = []
            for person in people:
                old = (person.zone_id, person.partner_id, person.priority)
                apply_assignment(person, assigner, today)
                if (person.zone_id, person.partner_id, person.priority) != old:
                    moved.append(person)
            update_rows(moved, ["zone", "partner", "priority"])
            signals.work_changed.send(sender=YoungPerson, person_ids=ids)
            changed += len(moved)
            last = people[-1].pk
    return changed
