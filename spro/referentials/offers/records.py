"""The records that cross the offers importer's modules, named: what the reader makes of one <formation>,
what a chunk processor sends the writer for each formation, and the rows both turn into.

A chunk's entries travel from the worker processes as `marshal` data, which carries plain tuples only:
`ChunkEntry` is a named tuple so that a worker sends `tuple(entry)` and the importer reads it back with
`ChunkEntry._make` at no cost, each field by its name.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from spro.referentials.importing.sync import RowPlan, row_plan

#: (message, line, field) of a warning met in a worker, replayed by the importer
WarningRecord = tuple[str, int | None, str | None]


class ParsedSession(NamedTuple):
    numero: str
    record: dict[str, Any]


class ParsedAction(NamedTuple):
    numero: str
    record: dict[str, Any]
    sessions: list[ParsedSession]


class ParsedFormation(NamedTuple):
    """One <formation> as `FormationReader.read` gives it: its record (Formation fields; `organisme_id` is
    the SIRET), its actions and sessions, and the known ROME fiches it links to."""

    numero: str
    line: int
    record: dict[str, Any]
    siret: str
    actions: list[ParsedAction]
    fiches: list[str]


class ChunkEntry(NamedTuple):
    """What a chunk processor sends for one formation, in file order."""

    numero: str
    line: int | None
    #: digest of the formation's bytes without its organisme (`chunks.raw_digests`), its content_hash
    digest: str
    #: digest of its <organisme-formation-responsable> bytes
    organisme_digest: str
    siret: str
    #: the organisme's record, warnings and line: sent by the first chunk processor to meet this SIRET
    organisme_record: dict[str, Any] | None
    organisme_warnings: list[WarningRecord]
    organisme_line: int | None
    #: the formation's own warnings (none when it was not read)
    warnings: list[WarningRecord]
    #: its Formation row and [(Action row, [Session rows])], foreign keys None; None when not read
    #: (its digest is one of the stored offers')
    row: tuple | None
    actions: list[tuple[tuple, list[tuple]]] | None
    fiches: list[str]
    #: its bytes in the chunk: data[start:end]
    start: int
    end: int
    action_count: int
    session_count: int


class Layouts(NamedTuple):
    """The row plans of the offers written from worker rows (`RowPlan.tuples`: plain, portable values)."""

    formation: RowPlan
    action: RowPlan
    session: RowPlan


def layouts() -> Layouts:
    # The models are imported here: a worker process (`python -m spro.referentials.offers.chunks`) imports
    # this module before it sets Django up.
    from spro.referentials.offers.models import Action, Formation, Session

    return Layouts(row_plan(Formation), row_plan(Action), row_plan(Session))


def formation_rows(plans: Layouts, parsed: list[ParsedFormation]) -> list[tuple[tuple, list]]:
    """(Formation row, [(Action row, [Session rows])]) of each read formation, foreign keys left None."""
    # The records are completed in place (they are not used afterwards): no dict copied per row.
    formation_records, action_records, session_records = [], [], []
    for item in parsed:
        record = item.record
        record["numero"], record["is_active"] = item.numero, True
        formation_records.append(record)
        for action in item.actions:
            record = action.record
            record["formation_id"], record["numero"] = None, action.numero
            action_records.append(record)
            for session in action.sessions:
                record = session.record
                record["action_id"], record["numero"] = None, session.numero
                session_records.append(record)
    actions_out = iter(plans.action.tuples(action_records))
    sessions_out = iter(plans.session.tuples(session_records))
    return [
        (row, [(next(actions_out), [next(sessions_out) for _ in a.sessions]) for a in item.actions])
        for row, item in zip(plans.formation.tuples(formation_records), parsed, strict=True)
    ]
