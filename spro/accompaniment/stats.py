"""The Region's coordination counts of the CEP (convention, article 2): per CEP operator and per département, the
people received, the level 2 accompaniments, the outcomes and the delay to the first appointment. Counts only, never
a row; small counts hidden (docs/cep.md, « Comptes de coordination »).

What is counted: the accompaniments that record a CEP level (`cep_level` not blank), opened within the period, of the
structures the user may count (`spro.accounts.permissions.statistics_structures`). One accompaniment is one person
received (the platform does not link two accompaniments of the same person). A structure's département is the one
of its commune (the operator's territory, never the person's address).

Why not `spro.core.disclosure.suppress_table` alone: the published numbers obey more sums than the rows and columns
of one table. Each line's « reçues » is both the sum of its two levels and the sum of its outcomes; a département's
line is the sum of its operators' lines; the total line is the sum of the départements'. A hidden cell must survive
all these sums at once, so the same rule as disclosure's (primary « < 5 »; then, in every sum with exactly one
hidden member, the smallest other non-zero member hidden « masqué », until none is left; zero is never hidden) runs
here over every sum, with disclosure's threshold and marks. Delays are shown only for a line with at least
`THRESHOLD` first appointments (a median of two delays is somebody's delay).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db.models import F, Min, Q, QuerySet

from spro.accompaniment.cep import CepLevel, CepOutcome
from spro.accompaniment.models import Accompaniment
from spro.core.disclosure import MASKED, SMALL, THRESHOLD, Shown, is_small

#: The outcome column of the accompaniments with no CEP outcome yet (open, or closed without one).
PENDING = "en-cours"
UNKNOWN_DEPARTEMENT = "?"

RECEIVED = "recues"
LEVELS: tuple[str, ...] = tuple(CepLevel.values)
OUTCOMES: tuple[str, ...] = (*CepOutcome.values, PENDING)
COLUMNS: tuple[str, ...] = (RECEIVED, *LEVELS, *OUTCOMES)

COLUMN_LABELS: dict[str, str] = {
    RECEIVED: "Personnes reçues",
    CepLevel.ACCUEIL.value: "dont niveau 1 seulement",
    CepLevel.ACCOMPAGNEMENT.value: "dont niveau 2 (accompagnement personnalisé)",
    **{code: f"Issue : {label}" for code, label in CepOutcome.choices},
    PENDING: "En cours ou issue non enregistrée",
}


@dataclass
class Line:
    """One published line: an operator, a département or the total; `cells` are shown values (int or « < 5 »,
    « masqué »); the delays in days are None when hidden or without appointment."""

    kind: str  # "operateur" | "departement" | "total"
    key: str
    label: str
    departement: str
    cells: dict[str, Shown] = field(default_factory=dict)
    median_days: float | None = None
    average_days: float | None = None
    with_appointment: int = 0  # never shown: decides whether the delays are

    @property
    def values(self) -> list[Shown]:
        """The shown cells in the order of `COLUMNS` (for the page and the CSV)."""
        return [self.cells[column] for column in COLUMNS]


@dataclass
class CoordinationTable:
    operators: list[Line]
    departements: list[Line]
    total: Line
    #: The true counts and the sums they obey, for the disclosure tests only: never shown, never exported.
    counts: dict[Hashable, int] = field(default_factory=dict, repr=False)
    sums: list[tuple[Hashable, list[Hashable]]] = field(default_factory=list, repr=False)

    def lines(self) -> list[Line]:
        return [*self.operators, *self.departements, self.total]


# --- Suppression over every published sum -------------------------------------------------------------------------


def suppress_sums(values: dict[Hashable, int], sums: Iterable[tuple[Hashable, list[Hashable]]]) -> dict:
    """Shown values of `values` given the published sums (`total_key = sum(part_keys)`), by disclosure's rule: a count
    from 1 to 4 is « < 5 »; then in every sum with exactly one hidden member (its total or a part), the smallest
    other non-zero member is hidden « masqué », again until no sum has a single hidden member."""
    for value in values.values():
        if value < 0:
            raise ValueError("un effectif ne peut pas être négatif")
    sums = [(total, list(parts)) for total, parts in sums]
    primary = {key for key, value in values.items() if is_small(value)}
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = [total, *parts]
            if sum(1 for key in members if key in hidden) != 1:
                continue
            candidates = sorted(
                (key for key in members if key not in hidden and values[key] > 0),
                key=lambda key: (values[key], str(key)),
            )
            # Never empty: the hidden member is > 0, so its total (or one of its parts) is too.
            hidden.add(candidates[0])
            changed = True
    return {
        key: (SMALL if key in primary else MASKED if key in hidden else value)
        for key, value in values.items()
    }


# --- Counting -----------------------------------------------------------------------------------------------------


def cep_accompaniments(
    structures: QuerySet, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Accompaniment]:
    """The CEP accompaniments of these structures opened between `start` and `end` (inclusive dates)."""
    rows = Accompaniment.objects.filter(structure__in=structures).exclude(cep_level="")
    if start is not None:
        rows = rows.filter(opened_at__date__gte=start)
    if end is not None:
        rows = rows.filter(opened_at__date__lte=end)
    return rows


def _first_appointments(rows: QuerySet[Accompaniment]) -> QuerySet:
    """Per accompaniment: its start (the referral's date when it came from one, else its opening) and its first
    appointment given by the accompanying structure (an action of the pathway, proposed by it or at it)."""
    actions = "pathway__focuses__objectives__actions"
    by_structure = Q(**{f"{actions}__proposed_by_structure": F("structure")}) | Q(
        **{f"{actions}__structure": F("structure")}
    )
    return rows.annotate(
        first_appointment=Min(
            f"{actions}__appointment_at",
            filter=by_structure & Q(**{f"{actions}__appointment_at__isnull": False}),
        )
    ).values(
        "structure_id",
        "structure__nom",
        "structure__commune__departement_id",
        "structure__commune__departement__nom",
        "cep_level",
        "cep_outcome",
        "opened_at",
        "referral__created_at",
        "first_appointment",
    )


def coordination(
    structures: QuerySet, start: dt.date | None = None, end: dt.date | None = None
) -> CoordinationTable:
    """The published table: per operator (by name), per département (by code), and the total, small counts hidden
    across every sum (see the module's docstring)."""
    raw: dict[tuple[str, str], dict[str, int]] = {}
    delays: dict[tuple[str, str], list[float]] = {}
    names: dict[str, str] = {}
    dep_names: dict[str, str] = {}
    operator_dep: dict[str, str] = {}
    for row in _first_appointments(cep_accompaniments(structures, start, end)).iterator():
        operator = str(row["structure_id"])
        departement = row["structure__commune__departement_id"] or UNKNOWN_DEPARTEMENT
        names[operator] = row["structure__nom"]
        dep_names[departement] = row["structure__commune__departement__nom"] or ""
        operator_dep[operator] = departement
        outcome = row["cep_outcome"] or PENDING
        days = None
        if row["first_appointment"] is not None:
            began = row["referral__created_at"] or row["opened_at"]
            days = max((row["first_appointment"] - began).total_seconds() / 86400, 0.0)
        for group in (("operateur", operator), ("departement", departement), ("total", "total")):
            counts = raw.setdefault(group, dict.fromkeys(COLUMNS, 0))
            counts[RECEIVED] += 1
            counts[row["cep_level"]] += 1
            counts[outcome] += 1
            if days is not None:
                delays.setdefault(group, []).append(days)
    raw.setdefault(("total", "total"), dict.fromkeys(COLUMNS, 0))
    values, sums = published_sums(raw, operator_dep)
    shown = suppress_sums(values, sums)

    def line(kind: str, key: str, label: str, departement: str) -> Line:
        own = delays.get((kind, key), [])
        result = Line(kind, key, label, departement, {c: shown[(kind, key, c)] for c in COLUMNS})
        result.with_appointment = len(own)
        if len(own) >= THRESHOLD:
            result.median_days = round(statistics.median(own), 1)
            result.average_days = round(statistics.fmean(own), 1)
        return result

    operators = sorted(
        (line("operateur", op, names[op], operator_dep[op]) for op in names),
        key=lambda item: (item.label, item.key),
    )
    departements = sorted({key for kind, key in raw if kind == "departement"})
    deps = [
        line("departement", dep, _departement_label(dep, dep_names.get(dep, "")), dep) for dep in departements
    ]
    return CoordinationTable(operators, deps, line("total", "total", "Total", ""), values, sums)


def published_sums(
    raw: dict[tuple[str, str], dict[str, int]], operator_dep: dict[str, str]
) -> tuple[dict[Hashable, int], list[tuple[Hashable, list[Hashable]]]]:
    """Every published number, keyed (kind, key, column), and every sum they obey: per line, received = its levels
    and received = its outcomes; per column, a département = its operators and the total = the départements."""
    values: dict[Hashable, int] = {
        (kind, key, column): n for (kind, key), counts in raw.items() for column, n in counts.items()
    }
    sums: list[tuple[Hashable, list[Hashable]]] = []
    for kind, key in raw:
        sums.append(((kind, key, RECEIVED), [(kind, key, level) for level in LEVELS]))
        sums.append(((kind, key, RECEIVED), [(kind, key, outcome) for outcome in OUTCOMES]))
    departements = sorted({key for kind, key in raw if kind == "departement"})
    for column in COLUMNS:
        for departement in departements:
            members = [op for op, dep in operator_dep.items() if dep == departement]
            sums.append((("departement", departement, column), [("operateur", op, column) for op in members]))
        sums.append((("total", "total", column), [("departement", dep, column) for dep in departements]))
    return values, sums


def _departement_label(code: str, name: str) -> str:
    if code == UNKNOWN_DEPARTEMENT:
        return "Département non renseigné"
    return f"{name} ({code})" if name else code


def csv_rows(table: CoordinationTable) -> list[list[str]]:
    """The table as CSV rows (a header, then every line): the same shown values as the page, never a hidden one."""
    header = ["Niveau", "Ligne", "Département", *(COLUMN_LABELS[c] for c in COLUMNS)]
    header += ["Délai médian jusqu’au premier rendez-vous (jours)", "Délai moyen (jours)"]
    kinds = {"operateur": "Opérateur", "departement": "Département", "total": "Total"}
    rows = [header]
    for item in table.lines():
        rows.append(
            [
                kinds[item.kind],
                item.label,
                item.departement,
                *(str(item.cells[c]) for c in COLUMNS),
                "" if item.median_days is None else f"{item.median_days:g}",
                "" if item.average_days is None else f"{item.average_days:g}",
            ]
        )
    return rows
