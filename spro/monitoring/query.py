"""Reading an indicator: indicator × breakdown × territory level × months → a table with small counts hidden.

Reads only the rollups (`spro.monitoring.rollups`), never the source rows, so every query is a range scan of a few
hundred rows whatever the source's size. Every figure goes through `spro.core.disclosure` (« < 5 » and secondary
suppression over the published row and column totals). Who reads what (`Scope`): anonymous → the public
indicators, every structure together; a Region or State pilot (or the platform admin) → every indicator, every
structure; a network head or a structure member → their structures only (summed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.db.models import Sum

from spro.accompaniment.cep import CepLevel, CepOutcome
from spro.accompaniment.vocabularies import Origin
from spro.accompaniment.vocabularies import Outcome as AccompanimentOutcome
from spro.accounts import permissions
from spro.accounts.models import TerritorialRole
from spro.answer.models import Channel as AnswerChannel
from spro.contacts.vocabularies import Reponse, TrancheAge
from spro.core import disclosure
from spro.core.disclosure import Shown
from spro.core.months import add_months
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.canaux import Canal
from spro.core.vocabularies.statuts import Statut
from spro.feedback.vocabularies import Outcome as FollowUpOutcome
from spro.feedback.vocabularies import Reason, Score, ServiceKind
from spro.monitoring import declarations, rollups
from spro.monitoring.declarations import TERRITORY_LEVELS, Indicator
from spro.monitoring.models import Rollup
from spro.monitoring.sources import accompaniments, dropouts, events, feedback
from spro.monitoring.sources.cells import numerator as numerator_code
from spro.referentials.geo.models import BassinEmploi, Commune, Departement, Epci, Region
from spro.referrals.models import Status

DEFAULT_MONTHS = 12
MAX_MONTHS = 120
MONTH = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\Z")
NOT_KNOWN = "Non renseigné"

#: Labels of the breakdown values, from each value's one vocabulary.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "canal": dict(Canal.choices),
    "tranche_age": dict(TrancheAge.choices),
    "statut": dict(Statut.choices),
    "besoin": dict(Besoin.choices),
    "reponse": dict(Reponse.choices),
    # A referral's outcome, or an accompaniment's (their codes differ).
    "issue": {
        **dict(Status.choices),
        accompaniments.PENDING: "En cours",
        **dict(AccompanimentOutcome.choices),
    },
    "delai": {rollups.NO_ANSWER: "Sans réponse", **{code: label for code, label, _b in rollups.DELAY_BANDS}},
    **dropouts.VALUE_LABELS,
    **events.VALUE_LABELS,
    "interface": dict(AnswerChannel.choices),
    "origine": dict(Origin.choices),
    "niveau_cep": {**dict(CepLevel.choices), accompaniments.NOT_CEP: "Hors CEP"},
    "issue_cep": {
        accompaniments.PENDING: "En cours",
        **dict(CepOutcome.choices),
        accompaniments.NO_CEP_OUTCOME: "Close sans issue CEP",
    },
    "service": dict(ServiceKind.choices),
    "note": {str(code): label for code, label in Score.choices},
    "raison": dict(Reason.choices),
    "delai_suivi": {"3": "3 mois", "6": "6 mois"},
    # « situation » is both the dropout chain's situation found and the follow-up's answer (their codes differ).
    **{
        name: {
            **dropouts.VALUE_LABELS.get(name, {}),
            **{c: label for c, label in FollowUpOutcome.choices if c != FollowUpOutcome.NE_PLUS_CONTACTER},
        }
        for name in ("situation", "situation_3_mois", "situation_6_mois")
    },
    "type_structure": {feedback.NOT_KNOWN: "Sans structure"},
    "reseau": {feedback.NOT_KNOWN: "Sans réseau"},
}
#: The breakdowns of a rate (`mesure: taux`) read as counts of answers: the distribution of the scores and the
#: reasons (a rate per score would be 0 % or 100 %); every other breakdown of a rate reads numerator ÷ denominator.
RATE_DISTRIBUTIONS = ("note", "raison")
TERRITORY_MODELS: dict[str, tuple[Any, str]] = {
    "commune": (Commune, "code_insee"),
    "epci": (Epci, "code"),
    "departement": (Departement, "code"),
    "bassin": (BassinEmploi, "code"),
    "region": (Region, "code"),
}
#: How a commune names its coarser territories (to filter communes by département, EPCI…).
COMMUNE_FIELD = {
    "epci": "epci_id",
    "departement": "departement_id",
    "bassin": "bassin_emploi_id",
    "region": "region_id",
}
#: Finer levels a filter level contains (a département contains communes and EPCI are not nested in it cleanly).
CONTAINS = {
    "region": ("departement", "commune"),
    "departement": ("commune",),
    "epci": ("commune",),
    "bassin": ("commune",),
}


#: Indicators read from their source's own figures rather than from rollups: code → module with `read(result)`.
READERS: dict[str, str] = {"plan-action": "spro.monitoring.sources.actionplan"}


class QueryError(ValueError):
    """A bad parameter, said in French (the API answers 400 with it, the command exits non-zero)."""


@dataclass(frozen=True)
class Scope:
    """Which structures' rollups a reader sums: None = every structure (the scope-0 rows)."""

    structures: tuple[int, ...] | None
    public_only: bool

    @classmethod
    def of(cls, user) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(None, public_only=True)
        if (
            user.is_superuser
            or permissions.scopes_with_role(
                user, TerritorialRole.PILOTE_REGION, TerritorialRole.PILOTE_ETAT
            ).exists()
        ):
            return cls(None, public_only=False)
        ids = tuple(sorted(permissions.statistics_structures(user).values_list("pk", flat=True)))
        if not ids:
            return cls(
                None, public_only=True
            )  # an account without a counting scope reads what everyone reads
        return cls(ids, public_only=False)


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month (inclusive)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        return Period(add_months(self.start, -self.months), add_months(self.end, -self.months))

    def label(self) -> str:
        return f"{self.start:%Y-%m} à {self.end:%Y-%m}"


def parse_month(value: str, name: str) -> dt.date:
    match = MONTH.match(value or "")
    if not match:
        raise QueryError(f"{name} : mois attendu au format AAAA-MM (par exemple 2026-01), reçu « {value} »")
    return dt.date(int(match[1]), int(match[2]), 1)


def period(start: str | None, end: str | None, today: dt.date | None = None) -> Period:
    """The months asked (`debut`, `fin`, inclusive); default the last 12 months up to this one."""
    last = parse_month(end, "fin") if end else rollups.month_of(today or dt.date.today())
    first = parse_month(start, "debut") if start else add_months(last, 1 - DEFAULT_MONTHS)
    result = Period(first, last)
    if first > last:
        raise QueryError("debut : le premier mois est après le dernier (fin)")
    if result.months > MAX_MONTHS:
        raise QueryError(f"période trop longue : au plus {MAX_MONTHS} mois")
    return result


@dataclass
class Line:
    code: str
    label: str
    cells: dict[str, Shown]
    total: Shown


@dataclass
class Result:
    """A table ready to show or export: every figure already through `disclosure`."""

    indicator: Indicator
    period: Period
    breakdown: str | None
    level: str | None
    territory: tuple[str, str] | None
    columns: list[tuple[str, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    total: Shown | str = 0
    previous_total: Shown = 0
    previous_period: Period | None = None

    def headers(self) -> list[str]:
        first = TERRITORY_LEVELS[self.level] if self.level else "Ensemble"
        return [first] + [label for _code, label in self.columns] + ["Total"]

    def rows(self) -> list[list[Shown]]:
        """The table as rows of cells (with its total line), for the exports."""
        rows: list[list[Shown]] = [
            [line.label] + [line.cells.get(code, 0) for code, _label in self.columns] + [line.total]
            for line in self.lines
        ]
        if self.level and not self.columns:
            total_line: list[Shown] = ["Total", *("" for _code in self.columns), self.total]
            rows.append(total_line)
        return rows


def indicator_for(code: str, scope: Scope) -> Indicator:
    indicator = declarations.load().get(code)
    if indicator is None or (scope.public_only and not indicator.public):
        raise LookupError(f"indicateur inconnu : « {code} »")
    return indicator


def listed(scope: Scope) -> list[Indicator]:
    """The declarations the reader may see (anonymous: the public ones)."""
    return [i for i in declarations.load().indicators if i.public or not scope.public_only]


def _territories_within(level: str, within: tuple[str, str]) -> list[str] | None:
    """Codes of `level` inside the filter territory, or None when the level is the filter's own."""
    filter_level, code = within
    if level == filter_level:
        return [code]
    if level not in CONTAINS.get(filter_level, ()):
        raise QueryError(
            f"territoire : on ne peut pas ventiler par {TERRITORY_LEVELS[level].lower()} à l’intérieur "
            f"d’un(e) {TERRITORY_LEVELS[filter_level].lower()}"
        )
    if level == "commune":
        return list(
            Commune.objects.filter(**{COMMUNE_FIELD[filter_level]: code}).values_list("pk", flat=True)
        )
    return list(Departement.objects.filter(region_id=code).values_list("pk", flat=True))


def _sums(
    indicator: str, scope: Scope, level: str, dimension: str, months: Period, territories: list[str] | None
) -> dict[tuple[str, str], int]:
    rows = Rollup.objects.filter(
        indicator=indicator, level=level, dimension=dimension, month__gte=months.start, month__lte=months.end
    )
    if scope.structures is None:
        rows = rows.filter(structure_id=rollups.ALL_STRUCTURES)
    else:
        rows = rows.filter(structure_id__in=scope.structures)
    if territories is not None:
        rows = rows.filter(territory__in=territories)
    return {
        (row["territory"], row["value"]): row["n"]
        for row in rows.values("territory", "value").annotate(n=Sum("count")).order_by()
    }


def territory_labels(level: str, codes: list[str]) -> dict[str, str]:
    model, key = TERRITORY_MODELS[level]
    labels = dict(model.objects.filter(**{f"{key}__in": [c for c in codes if c]}).values_list(key, "nom"))
    return {code: (f"{labels.get(code, code)} ({code})" if code else NOT_KNOWN) for code in codes}


def run(
    code: str,
    scope: Scope,
    *,
    breakdown: str | None = None,
    level: str | None = None,
    territory: tuple[str, str] | None = None,
    months: Period,
) -> Result:
    """The indicator's table for the reader's scope; QueryError on a parameter the indicator does not allow."""
    indicator = indicator_for(code, scope)
    result = Result(indicator, months, breakdown, level, territory, previous_period=months.previous())
    if not indicator.disponible:
        return result  # declared, not computed: no figure at all
    if breakdown is not None and breakdown not in indicator.ventilations:
        allowed = ", ".join(indicator.ventilations) or "aucune"
        raise QueryError(
            f"ventilation : « {breakdown} » n’est pas permise pour cet indicateur (permises : {allowed})"
        )
    for lvl in (level, territory[0] if territory else None):
        if lvl is not None and lvl not in indicator.territoires:
            allowed = ", ".join(indicator.territoires) or "aucun"
            raise QueryError(f"niveau territorial : « {lvl} » n’est pas permis (permis : {allowed})")
    if territory is not None:
        model, key = TERRITORY_MODELS[territory[0]]
        if not model.objects.filter(**{key: territory[1]}).exists():
            raise QueryError(
                f"territoire : {TERRITORY_LEVELS[territory[0]].lower()} « {territory[1]} » inconnu(e)"
            )

    reader = READERS.get(indicator.code)
    if reader is not None:  # an indicator read from its source's own figures, not from rollups
        return import_module(reader).read(result)

    row_level = level or (territory[0] if territory else rollups.WHOLE)
    if scope.structures is not None:
        for lvl in (row_level, territory[0] if territory else rollups.WHOLE):
            if lvl not in rollups.STRUCTURE_LEVELS:
                raise QueryError(
                    "niveau territorial : les chiffres d’une structure ou d’un réseau se lisent au niveau "
                    "département ou région (le détail par commune, EPCI ou bassin est toutes structures confondues)"
                )
    territories = _territories_within(row_level, territory) if territory else None
    dimension = breakdown or ""
    if indicator.mesure == "taux" and dimension not in RATE_DISTRIBUTIONS:
        return _rates(result, scope, row_level, dimension, territories)
    cells = _sums(indicator.code, scope, row_level, dimension, months, territories)
    totals = _sums(indicator.code, scope, row_level, "", months, territories) if breakdown else cells
    previous = _sums(indicator.code, scope, row_level, "", months.previous(), territories)

    row_codes = sorted({t for t, _v in totals} | {t for t, _v in cells}, key=lambda t: (t == "", t))
    result.columns = _columns(breakdown, {v for _t, v in cells} if breakdown else set())
    row_totals = {t: totals.get((t, ""), 0) for t in row_codes}
    names = territory_labels(row_level, row_codes) if row_level != rollups.WHOLE else {"": "Ensemble"}
    if breakdown:
        # Cells and each row's total. Needs do not always add up to the total (a contact may have several), but
        # they may (one need each): the secondary rule applies to them too, at worst hiding one cell more.
        counts = {t: {v: cells.get((t, v), 0) for v, _l in result.columns} for t in row_codes}
        table = disclosure.suppress_table(counts, row_totals=row_totals)
        shown_totals = table.row_totals
        result.lines = [Line(t, names.get(t, t), table.cells[t], shown_totals[t]) for t in row_codes]
        # No column totals nor grand total here: with the row totals they would form a second set of lines that
        # the suppression does not protect (ask the same breakdown without a territory level for them).
        result.total = shown_totals[row_codes[0]] if row_level == rollups.WHOLE and row_codes else ""
    else:
        grand_total = sum(row_totals.values())
        shown, total = disclosure.suppress(row_totals, grand_total)
        result.lines = [Line(t, names.get(t, t), {}, shown[t]) for t in row_codes]
        result.total = total if total is not None else 0
    result.previous_total = disclosure.hide(sum(previous.values()))
    return result


def _columns(breakdown: str | None, seen: set[str]) -> list[tuple[str, str]]:
    """The breakdown's values present, in their vocabulary's order, then the others (codes without a label)."""
    labels = VALUE_LABELS.get(breakdown or "", {})
    return [(v, labels.get(v, v)) for v in labels if v in seen] + [(v, v) for v in sorted(seen - set(labels))]


def rate(numerator: int, denominator: int) -> Shown:
    """A rate in whole percent; « < 5 » when its numerator or its denominator is a small count (a rate of 1 in 3
    tells about one person), "" when there is no denominator."""
    if denominator <= 0:
        return ""
    if disclosure.is_small(denominator) or disclosure.is_small(numerator):
        return disclosure.SMALL
    return f"{round(100 * numerator / denominator)} %"


def _rates(
    result: Result, scope: Scope, row_level: str, dimension: str, territories: list[str] | None
) -> Result:
    """A rate's table: each cell is numerator ÷ denominator of its own cell (`numerator_code` rollups over the
    indicator's), never a count; a line's total is its rate over all its values."""
    code, months = result.indicator.code, result.period
    numerators = numerator_code(code)
    denominators = _sums(code, scope, row_level, dimension, months, territories)
    satisfied = _sums(numerators, scope, row_level, dimension, months, territories)
    if dimension:
        totals = _sums(code, scope, row_level, "", months, territories)
        satisfied_totals = _sums(numerators, scope, row_level, "", months, territories)
    else:
        totals, satisfied_totals = denominators, satisfied
    row_codes = sorted({t for t, _v in totals}, key=lambda t: (t == "", t))
    result.columns = _columns(dimension, {v for _t, v in denominators} if dimension else set())
    names = territory_labels(row_level, row_codes) if row_level != rollups.WHOLE else {"": "Ensemble"}
    result.lines = [
        Line(
            t,
            names.get(t, t),
            {v: rate(satisfied.get((t, v), 0), denominators.get((t, v), 0)) for v, _l in result.columns},
            rate(satisfied_totals.get((t, ""), 0), totals.get((t, ""), 0)),
        )
        for t in row_codes
    ]
    result.total = rate(sum(satisfied_totals.values()), sum(totals.values()))
    previous = result.previous_period or months.previous()
    result.previous_total = rate(
        sum(_sums(numerators, scope, row_level, "", previous, territories).values()),
        sum(_sums(code, scope, row_level, "", previous, territories).values()),
    )
    return result
