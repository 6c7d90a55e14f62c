"""Signals of the accompaniments, sent by `spro.accompaniment.services` inside the transaction of each write that
changes what is counted (opening, CEP level, closing, hand-over, anonymisation of an open one), so that the
indicators (spro.monitoring, issue 19) keep their rollups in step.

`accompaniment` is the row after the change; `before` the counted fields before it (`COUNTED`), None for a new one.
"""

from django.dispatch import Signal

#: The fields the indicators count (an accompaniment's status, outcome, CEP level and CEP outcome).
COUNTED = ("status", "outcome", "cep_level", "cep_outcome")

accompaniment_changed = Signal()  # sender=Accompaniment, accompaniment=…, before={field: value} | None


def counted(accompaniment) -> dict[str, str]:
    """The counted fields of `accompaniment`, as `before` carries them."""
    return {name: getattr(accompaniment, name) for name in COUNTED}
