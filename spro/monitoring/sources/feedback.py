"""« satisfaction » and « suivi-3-6-mois »: the users' anonymous answers (`spro.feedback`, docs/avis.md).

Both tables have no link to a person, a referral or an accompaniment, and neither do their rollups: an answer counts
once in the month of its day, in its département (its région from the referential; commune, EPCI and bassin are not
kept), under the context it carries (the structure's typology and network, « non-renseigne » for the first answer,
which has no structure). No structure's own rows: the answer does not name one.

`satisfaction` is a rate (`mesure: taux`): its rollups count the answers (the denominator, and the distribution by
score `note` and by reason `raison`: an answer counts once under each reason ticked) and, under
`satisfaction:numerateur` (`cells.numerator`), the answers scoring 4 or 5 (the numerator), for the breakdowns a
rate is read by. `suivi-3-6-mois` counts the follow-up answers by delay (`delai_suivi`: 3 or 6 months), situation,
and situation at each delay (`situation_3_mois`, `situation_6_mois`); « ne plus être recontacté·e » is never stored.
"""

from __future__ import annotations

from spro.monitoring import rollups
from spro.monitoring.sources import cells

SATISFACTION = "satisfaction"
SATISFIED = cells.numerator(SATISFACTION)
#: A score counted as satisfied (4 « satisfait·e », 5 « très satisfait·e »).
SATISFIED_FROM = 4
FOLLOW_UP = "suivi-3-6-mois"
NOT_KNOWN = "non-renseigne"
#: Breakdowns of the rate (numerator and denominator both held), then those read as counts of answers.
RATE_BREAKDOWNS: tuple[str, ...] = ("service", "type_structure", "reseau")
SATISFACTION_BREAKDOWNS: tuple[str, ...] = (*RATE_BREAKDOWNS, "note", "raison")
FOLLOW_UP_BREAKDOWNS: tuple[str, ...] = (
    "delai_suivi",
    "situation",
    "situation_3_mois",
    "situation_6_mois",
    "type_structure",
    "reseau",
)


def _context(answer) -> list[cells.Value]:
    return [("type_structure", answer.typologie or NOT_KNOWN), ("reseau", answer.reseau or NOT_KNOWN)]


def on_satisfaction(sender, answer, reasons: list[str], **_kwargs) -> None:
    """`spro.feedback.signals.satisfaction_recorded`: the answer's cells (and the numerator's if 4 or 5)."""
    place = cells.departement_place(answer.departement)
    month = rollups.month_of(answer.day)
    rated: list[cells.Value] = [("", ""), ("service", answer.service), *_context(answer)]
    values = rated + [("note", str(answer.score))] + [("raison", code) for code in dict.fromkeys(reasons)]
    changes = cells.cells(SATISFACTION, None, place, month, values, levels=cells.DEPARTEMENT_LEVELS)
    if answer.score >= SATISFIED_FROM:
        changes.update(cells.cells(SATISFIED, None, place, month, rated, levels=cells.DEPARTEMENT_LEVELS))
    cells.write(changes)


def on_outcome(sender, answer, **_kwargs) -> None:
    """`spro.feedback.signals.outcome_recorded`: the follow-up answer's cells."""
    values: list[cells.Value] = [
        ("", ""),
        ("delai_suivi", str(answer.months)),
        ("situation", answer.outcome),
        (f"situation_{answer.months}_mois", answer.outcome),
        *_context(answer),
    ]
    place = cells.departement_place(answer.departement)
    cells.write(
        cells.cells(
            FOLLOW_UP, None, place, rollups.month_of(answer.day), values, levels=cells.DEPARTEMENT_LEVELS
        )
    )


def _base(table: str, columns: str) -> str:
    from spro.referentials.geo.models import Departement

    return (
        f"SELECT x.id, {rollups._month_sql('x.day')} AS month, {cells.departement_columns('d')}, "  # noqa: S608
        f"CASE WHEN x.typologie = '' THEN '{NOT_KNOWN}' ELSE x.typologie END AS typologie, "
        f"CASE WHEN x.reseau = '' THEN '{NOT_KNOWN}' ELSE x.reseau END AS reseau, {columns} "
        f"FROM {table} x LEFT JOIN {Departement._meta.db_table} d ON d.code = x.departement"
    )


def _as_text(column: str) -> str:
    return f"CAST({column} AS {'varchar(2)' if rollups.connection.vendor == 'postgresql' else 'text'})"


def satisfaction_statements() -> list[str]:
    from spro.feedback.models import SatisfactionAnswer, SatisfactionReason

    base = _base(SatisfactionAnswer._meta.db_table, f"x.service, {_as_text('x.score')} AS note, x.score")
    rated = [
        ("", "''", ""),
        ("service", "base.service", ""),
        ("type_structure", "base.typologie", ""),
        ("reseau", "base.reseau", ""),
    ]
    reasons = f" JOIN {SatisfactionReason._meta.db_table} r ON r.answer_id = base.id"
    statements = cells.statements(
        SATISFACTION,
        base,
        [*rated, ("note", "base.note", ""), ("raison", "r.code", reasons)],
        per_structure=False,
        levels=cells.DEPARTEMENT_LEVELS,
    )
    satisfied = f"SELECT * FROM ({base}) s WHERE s.score >= {SATISFIED_FROM}"  # noqa: S608 - constants only
    # `rebuild` empties the indicator's own rows; its numerator's go here, in the same transaction.
    table = rollups.connection.ops.quote_name(rollups.Rollup._meta.db_table)
    clear = f"DELETE FROM {table} WHERE indicator = '{SATISFIED}'"  # noqa: S608 - constants only
    return [
        clear,
        *statements,
        *cells.statements(SATISFIED, satisfied, rated, per_structure=False, levels=cells.DEPARTEMENT_LEVELS),
    ]


def follow_up_statements() -> list[str]:
    from spro.feedback.models import OutcomeAnswer

    base = _base(OutcomeAnswer._meta.db_table, f"x.outcome, x.months, {_as_text('x.months')} AS delai")
    dimensions = [
        ("", "''", ""),
        ("delai_suivi", "base.delai", ""),
        ("situation", "base.outcome", ""),
        ("type_structure", "base.typologie", ""),
        ("reseau", "base.reseau", ""),
    ]
    statements = cells.statements(
        FOLLOW_UP, base, dimensions, per_structure=False, levels=cells.DEPARTEMENT_LEVELS
    )
    for months in (3, 6):
        only = f"SELECT * FROM ({base}) f WHERE f.months = {months}"  # noqa: S608 - constants only
        statements += cells.statements(
            FOLLOW_UP,
            only,
            [(f"situation_{months}_mois", "base.outcome", "")],
            per_structure=False,
            levels=cells.DEPARTEMENT_LEVELS,
        )
    return statements
