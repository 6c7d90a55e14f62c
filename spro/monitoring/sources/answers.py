"""« premieres-reponses »: the first personalised answers given, from their anonymous statistic row
(`spro.answer.models.AnswerStat`, one per answer shown on the page or given through the API; categories only).

A row counts once in the month of its date, in its département (the commune of the question's, if any: the row keeps
no commune), under each need recognised (three at most), its age band, statut and interface (page or API). No
structure: an answer is the platform's, so only the every-structure rows are written.
"""

from __future__ import annotations

from spro.monitoring import rollups
from spro.monitoring.sources import cells

CODE = "premieres-reponses"
#: Dimension → the row's column.
DIMENSIONS = {"interface": "channel", "tranche_age": "age_band", "statut": "statut"}
BREAKDOWNS: tuple[str, ...] = (*DIMENSIONS, "besoin")


def on_answer_recorded(sender, stat, **_kwargs) -> None:
    """`spro.answer.signals.answer_recorded`: the answer's cells, in its transaction."""
    values: list[cells.Value] = [("", "")]
    values += [(dimension, getattr(stat, column)) for dimension, column in DIMENSIONS.items()]
    values += [("besoin", code) for code in dict.fromkeys(stat.besoins or [])]
    place = cells.departement_place(stat.departement_id)
    cells.write(
        cells.cells(CODE, None, place, rollups.month_of(stat.date), values, levels=cells.DEPARTEMENT_LEVELS)
    )


def statements() -> list[str]:
    from spro.answer.models import AnswerStat
    from spro.referentials.geo.models import Departement

    base = (
        f"SELECT a.id, {rollups._month_sql('a.date')} AS month, {cells.departement_columns('d')}, "  # noqa: S608
        "a.channel, a.age_band, a.statut, a.besoins "
        f"FROM {AnswerStat._meta.db_table} a LEFT JOIN {Departement._meta.db_table} d ON d.code = a.departement_id"
    )
    dimensions = [("", "''", "")] + [(d, f"base.{c}", "") for d, c in DIMENSIONS.items()]
    dimensions.append(("besoin", "b.value", " " + rollups.besoins_join("base")))
    return cells.statements(CODE, base, dimensions, per_structure=False, levels=cells.DEPARTEMENT_LEVELS)
