"""« accompagnements »: the accompaniments opened by a structure and where they stand, the CEP ones apart.

An accompaniment counts once, in the month it was opened (UTC, as the referrals), at its structure's commune (the
operator's territory, never the person's address) and for its structure: under its current outcome (`issue`:
« en-cours » while open, then the outcome it was closed with — « relais » for a hand-over), its origin, its CEP
level (`niveau_cep`: « hors-cep » when none) and, for a CEP one, its CEP outcome (`issue_cep`: « en-cours » while
open, « non-renseignee » when closed without one). A change moves it from one value to another (−1/+1, emptied
cells removed), announced by `spro.accompaniment.signals.accompaniment_changed` in the change's transaction.
A structure moved to another commune keeps its past rows where they were until `spro indicateurs reconstruire`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from spro.monitoring import rollups
from spro.monitoring.rollups import Key
from spro.monitoring.sources import cells

CODE = "accompagnements"
PENDING = "en-cours"
NOT_CEP = "hors-cep"
NO_CEP_OUTCOME = "non-renseignee"
BREAKDOWNS: tuple[str, ...] = ("issue", "origine", "niveau_cep", "issue_cep")


def values(fields: dict[str, str], origin: str) -> list[cells.Value]:
    """The cells' values of an accompaniment with these counted fields (`spro.accompaniment.signals.COUNTED`)."""
    is_open = fields["status"] == "ouvert"
    result: list[cells.Value] = [
        ("", ""),
        ("issue", PENDING if is_open else fields["outcome"]),
        ("origine", origin),
        ("niveau_cep", fields["cep_level"] or NOT_CEP),
    ]
    if fields["cep_level"]:
        result.append(("issue_cep", PENDING if is_open else (fields["cep_outcome"] or NO_CEP_OUTCOME)))
    return result


def on_accompaniment_changed(sender, accompaniment, before: dict[str, str] | None, **_kwargs) -> None:
    """`spro.accompaniment.signals.accompaniment_changed`: +1 to its new values, −1 to its former ones."""
    from spro.accompaniment.signals import counted

    structure = accompaniment.structure
    place = cells.commune_place(structure.commune_id)
    month = rollups.month_of(accompaniment.opened_at.astimezone(dt.UTC).date())
    changes: Counter[Key] = cells.cells(
        CODE, structure.pk, place, month, values(counted(accompaniment), accompaniment.origin)
    )
    if before is not None:
        changes.subtract(cells.cells(CODE, structure.pk, place, month, values(before, accompaniment.origin)))
    cells.write(changes)


def statements() -> list[str]:
    from spro.accompaniment.models import Accompaniment
    from spro.directory.models import Structure
    from spro.referentials.geo.models import Commune

    base = (
        f"SELECT a.id, a.structure_id, {rollups._month_sql('a.opened_at')} AS month, "  # noqa: S608 - names
        "COALESCE(c.code_insee, '') AS commune, COALESCE(c.epci_id, '') AS epci, "
        "COALESCE(c.departement_id, '') AS departement, COALESCE(c.bassin_emploi_id, '') AS bassin, "
        "COALESCE(c.region_id, '') AS region, a.origin, "
        f"CASE WHEN a.status = 'ouvert' THEN '{PENDING}' ELSE a.outcome END AS issue, "
        f"CASE WHEN a.cep_level = '' THEN '{NOT_CEP}' ELSE a.cep_level END AS niveau_cep, "
        f"CASE WHEN a.status = 'ouvert' THEN '{PENDING}' WHEN a.cep_outcome = '' THEN '{NO_CEP_OUTCOME}' "
        "ELSE a.cep_outcome END AS issue_cep, a.cep_level "
        f"FROM {Accompaniment._meta.db_table} a JOIN {Structure._meta.db_table} s ON s.id = a.structure_id "
        f"LEFT JOIN {Commune._meta.db_table} c ON c.code_insee = s.commune_id"
    )
    dimensions = [("", "''", ""), ("issue", "base.issue", ""), ("origine", "base.origin", "")]
    dimensions += [("niveau_cep", "base.niveau_cep", "")]
    statements = cells.statements(CODE, base, dimensions, per_structure=True)
    cep_base = f"SELECT * FROM ({base}) cep WHERE cep.cep_level <> ''"  # noqa: S608 - constants only
    statements += cells.statements(CODE, cep_base, [("issue_cep", "base.issue_cep", "")], per_structure=True)
    return statements
