"""« evenements-participation »: registrations to the professionalisation events and attendance, per month of the
event, territory and structure of the registered professional.

- A registration counts once, whatever its status (the total), under its current status (`inscription`:
  confirmed, waiting, cancelled); a confirmed one also under its attendance (`presence`: present, absent, not
  recorded).
- Structure: the one the person registered for (`Inscription.structure`, their first membership when registering),
  with its typology (`type_structure`) and its networks (`reseau`: a structure in two networks counts in each);
  territory: that structure's commune. A registration without structure counts in « non renseigné ».
- Month: the event's start (UTC), so a change of date moves its registrations.
- Kind of event (`type_evenement`, `spro.events.vocabularies.TypeEvenementPro`): the event's current type, so a
  change of type moves its registrations (« autre » for events made before events had a type).

Registrations change after they are counted (cancellation, promotion from the waiting list, attendance, a new
date), so `spro.events.registrations` announces each change of an event twice in its transaction
(`registrations_changing`, `registrations_changed`): the event's figures are retracted, then added again from its
rows (one event's registrations: a few dozen rows); a change of the event's date or type is announced the same
way (`registrations.update_event`). The event's row is locked meanwhile. A rebuild adds up every
event the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from spro.events.models import Inscription
from spro.events.vocabularies import Presence, StatutInscription, TypeEvenementPro
from spro.monitoring import rollups
from spro.monitoring.models import Rollup
from spro.monitoring.sources import delta

INDICATOR = "evenements-participation"
NOT_KNOWN = "non-renseigne"
VALUE_LABELS: dict[str, dict[str, str]] = {
    "inscription": dict(StatutInscription.choices),
    "presence": {
        Presence.PRESENT.value: "Présent ou présente",
        Presence.ABSENT.value: "Absent ou absente",
        NOT_KNOWN: "Non renseignée",
    },
    "type_evenement": dict(TypeEvenementPro.choices),
}
DIMENSIONS = ("inscription", "presence", "type_structure", "reseau", "type_evenement")


def event_cells(event_ids: list[int] | None = None) -> Counter[rollups.Key]:
    """The cells of these events' registrations (every event when None)."""
    rows = Inscription.objects.all()
    if event_ids is not None:
        rows = rows.filter(evenement_id__in=event_ids)
    lines = list(
        rows.values_list(
            "evenement__debut",
            "evenement__type",
            "statut",
            "presence",
            "structure_id",
            "structure__typologie",
            "structure__reseaux_porteurs",
            "structure__commune_id",
        )
    )
    by_commune, _ = rollups.places((line[7] for line in lines), [])
    cells: Counter[rollups.Key] = Counter()
    for start, kind, statut, presence, structure, typologie, reseaux, commune in lines:
        month = rollups.month_of(start.astimezone(dt.UTC).date())
        place = by_commune.get(commune or "") or rollups.Place()
        values = [
            ("", ""),
            ("inscription", statut),
            ("type_structure", typologie or NOT_KNOWN),
            ("type_evenement", kind),
        ]
        if statut == StatutInscription.CONFIRMEE:
            values.append(("presence", presence or NOT_KNOWN))
        values += [("reseau", code) for code in dict.fromkeys(reseaux or [NOT_KNOWN])]
        for scope in [rollups.ALL_STRUCTURES] + ([structure] if structure else []):
            for level, territory in place.levels():
                if scope != rollups.ALL_STRUCTURES and level not in rollups.STRUCTURE_LEVELS:
                    continue
                for dimension, value in values:
                    cells[(INDICATOR, scope, level, dimension, month, territory, value)] += 1
    return cells


def on_changing(sender, event_id: int, **_kwargs) -> None:
    """`spro.events.signals.registrations_changing`: retract the event's figures (before the write)."""
    delta.apply(delta.negate(event_cells([event_id])))


def on_changed(sender, event_id: int, **_kwargs) -> None:
    """`spro.events.signals.registrations_changed`: add them again, as the write left them."""
    delta.apply(event_cells([event_id]))


def rebuild() -> None:
    Rollup.objects.filter(indicator=INDICATOR).delete()
    rollups.add(event_cells())
