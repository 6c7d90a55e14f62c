"""The pilotage dashboards (`/pro/pilotage/`): what each reader sees, from its roles only, over `query`.

`perimeter(user)` decides the reader's dashboard from its roles (a structure, a network head, a Region or State
pilot, a CREFOP member, the platform admin) — never from a request parameter: a territory or a structure asked for
must be one the perimeter lists, or the page is a 404. `build(...)` reads every declared indicator (new declarations
appear without any edit here): a computed one becomes a table of the period against the comparison period and the
change, a chart spec (`spro.core.charts`) and the action plan's target where an action-plan indicator names it
(`actionplan.Indicator.indicateur`); one not computed is listed with its reason. Every figure comes from
`query.run`, already through `spro.core.disclosure`: this module never reads a rollup or a source row itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from spro.accounts import permissions
from spro.accounts.models import TerritorialRole
from spro.actionplan.models import IndicatorTarget
from spro.core.charts import ChartSpec, Series
from spro.core.disclosure import Shown
from spro.core.months import MONTH_NAMES
from spro.monitoring import query, rollups
from spro.monitoring.declarations import DIMENSIONS, Indicator
from spro.referentials.geo.models import Departement, Region
from spro.statedata import access as state_access
from spro.statedata import queries as state_queries
from spro.statedata.vocabularies import Indicator as StateIndicator
from spro.statedata.vocabularies import Service

SPAN = re.compile(r"\A(\d{4})(?:-(0[1-9]|1[0-2])|-T([1-4]))?\Z")
#: The breakdown by territory offered beside the indicators' own dimensions.
BY_DEPARTEMENT = "departement"
STATE_TABLE = "donnees-etat"


# --- Periods: a month, a quarter or a year, compared with another of the same kind ------------------------------
@dataclass(frozen=True)
class Span:
    """A period as the dashboard names it (« 2026-03 », « 2026-T1 », « 2026 »: the State figures' own codes)."""

    code: str
    label: str
    months: query.Period

    @property
    def kind(self) -> str:
        return (
            "mois"
            if len(self.code) == 7 and "T" not in self.code
            else "trimestre"
            if "T" in self.code
            else "annee"
        )

    @property
    def year(self) -> int:
        return self.months.start.year


def span(text: str) -> Span:
    """`2026-03` (a month), `2026-T1` (a quarter) or `2026` (a year); QueryError in French otherwise."""
    match = SPAN.match((text or "").strip().upper())
    if not match:
        raise query.QueryError(
            f"période : attendu un mois (2026-03), un trimestre (2026-T1) ou une année (2026), reçu « {text} »"
        )
    year = int(match[1])
    if match[2]:
        month = int(match[2])
        first = last = dt.date(year, month, 1)
        return Span(f"{year}-{month:02d}", f"{MONTH_NAMES[month - 1]} {year}", query.Period(first, last))
    if match[3]:
        quarter = int(match[3])
        first = dt.date(year, 3 * quarter - 2, 1)
        label = f"{'1er' if quarter == 1 else f'{quarter}e'} trimestre {year}"
        return Span(f"{year}-T{quarter}", label, query.Period(first, query.add_months(first, 2)))
    return Span(str(year), f"année {year}", query.Period(dt.date(year, 1, 1), dt.date(year, 12, 1)))


def previous(current: Span) -> Span:
    """The period of the same kind just before (the default comparison)."""
    start = current.months.previous().start
    if current.kind == "mois":
        return span(f"{start:%Y-%m}")
    if current.kind == "trimestre":
        return span(f"{start.year}-T{(start.month - 1) // 3 + 1}")
    return span(str(start.year))


def default_span(today: dt.date) -> Span:
    """The last complete quarter: a quarter under way would compare part of a quarter with a whole one."""
    return previous(span(f"{today.year}-T{(today.month - 1) // 3 + 1}"))


# --- Who sees what ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Perimeter:
    """A reader's dashboard: its role's name, the query scope, the territories and structures it may choose."""

    role: str
    scope: query.Scope
    territories: tuple[tuple[str, str], ...]  # (« niveau:code », label); "" = the whole perimeter
    structures: tuple[tuple[str, str], ...] = ()  # (pk, name) a network head or a member may narrow to
    state_figures: bool = False

    def allows_territory(self, value: str) -> bool:
        return any(value == code for code, _label in self.territories)

    def allows_structure(self, value: str) -> bool:
        return any(value == code for code, _label in self.structures)


def _territories_of(regions: list[Region], departements: list[Departement]) -> list[tuple[str, str]]:
    """Each région followed by its départements, then the départements held alone."""
    found: list[tuple[str, str]] = []
    for region in regions:
        found.append((f"region:{region.code}", f"Région {region.nom}"))
        for dep in Departement.objects.filter(region=region).order_by("code"):
            found.append((f"departement:{dep.code}", f"{dep.nom} ({dep.code})"))
    for dep in departements:
        if not any(code == f"departement:{dep.code}" for code, _l in found):
            found.append((f"departement:{dep.code}", f"{dep.nom} ({dep.code})"))
    return found


def _scoped_territories(user, *roles: str) -> list[tuple[str, str]]:
    scopes = permissions.scopes_with_role(user, *roles).select_related("region", "departement")
    regions = sorted({s.region for s in scopes if s.region is not None}, key=lambda r: r.code)
    departements = sorted({s.departement for s in scopes if s.departement is not None}, key=lambda d: d.code)
    return _territories_of(regions, departements)


def perimeter(user) -> Perimeter | None:
    """The reader's dashboard from its roles (None: no dashboard, a 403). A pilot's role wins over a network
    head's, which wins over a membership, which wins over a CREFOP seat (the widest right the user holds)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    scope = query.Scope.of(user)
    reads_state = state_access.can_read(user)
    pilots = (TerritorialRole.PILOTE_REGION, TerritorialRole.PILOTE_ETAT)
    national = permissions.scopes_with_role(user, TerritorialRole.PILOTE_ETAT).filter(
        region__isnull=True, departement__isnull=True
    )
    if user.is_superuser or national.exists():
        everywhere = [("", "France entière"), *_territories_of(list(Region.objects.order_by("code")), [])]
        role = "Pilote État (national)" if national.exists() else "Administration de la plateforme"
        return Perimeter(role, scope, tuple(everywhere), state_figures=reads_state)
    if permissions.scopes_with_role(user, *pilots).exists():
        names = sorted({s.get_role_display() for s in permissions.scopes_with_role(user, *pilots)})
        return Perimeter(
            " et ".join(names), scope, tuple(_scoped_territories(user, *pilots)), state_figures=reads_state
        )
    structures = tuple(
        (str(pk), nom)
        for pk, nom in permissions.statistics_structures(user).order_by("nom").values_list("pk", "nom")
    )
    if permissions.scopes_with_role(user, TerritorialRole.TETE_DE_RESEAU).exists():
        territories = [("", "Tout votre réseau"), *_scoped_territories(user, TerritorialRole.TETE_DE_RESEAU)]
        return Perimeter("Tête de réseau", scope, tuple(territories), structures, state_figures=reads_state)
    if structures:
        whole = "Votre structure" if len(structures) == 1 else "Toutes vos structures"
        return Perimeter("Structure", scope, (("", whole),), structures, state_figures=reads_state)
    if permissions.scopes_with_role(user, TerritorialRole.MEMBRE_CREFOP).exists():
        return Perimeter(
            "Membre du CREFOP (indicateurs publics)",
            query.Scope(None, public_only=True),
            tuple(_scoped_territories(user, TerritorialRole.MEMBRE_CREFOP)),
            state_figures=reads_state,
        )
    return None


# --- The dashboard ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """What the reader asked, already checked against its perimeter."""

    current: Span
    comparison: Span
    territory: tuple[str, str] | None  # (level, code)
    territory_label: str
    breakdown: str  # "" | a dimension | BY_DEPARTEMENT
    structure: str  # "" | a pk within the perimeter


@dataclass
class Row:
    label: str
    current: Shown
    comparison: Shown
    change: str


@dataclass
class Target:
    """An action-plan target declared for the indicator (`actionplan.Indicator.indicateur`)."""

    plan: str
    action: str
    label: str
    year: int
    value: Decimal
    unit: str
    reached: str  # « 84 % de la cible » when comparable, else ""


@dataclass
class Tile:
    indicator: Indicator
    rows: list[Row] = field(default_factory=list)
    first_header: str = ""
    note: str = ""  # why there is no table (not computed, breakdown not allowed, level refused)
    chart: ChartSpec | None = None
    targets: list[Target] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.indicator.code


@dataclass
class StateRow:
    service: str
    indicator: str
    current: int | str
    comparison: int | str
    change: str


@dataclass
class Dashboard:
    perimeter: Perimeter
    choice: Choice
    tiles: list[Tile]
    unavailable: list[Indicator]
    state_rows: list[StateRow] | None  # None: the reader does not read the State figures, or no territory


#: The column of a declared indicator's line that holds its latest value (spro/monitoring/sources/actionplan.py).
DECLARED_VALUE = "valeur"


def difference(current: Shown | int | str, comparison: Shown | int | str) -> tuple[int | str, int | str]:
    """(difference, percent of the comparison) as numbers for the exports; « — » when one side is hidden (a
    difference would give it back) and no percent over a zero."""
    if not isinstance(current, int) or not isinstance(comparison, int):
        return "—", "—"
    diff = current - comparison
    return diff, round(100 * diff / comparison) if comparison else "—"


RATE = re.compile(r"\A(\d+) %\Z")


def change(current: Shown | int | str, comparison: Shown | int | str) -> str:
    """« +3 (+25 %) », « −2 (−40 %) », « 0 » as shown on the page; « — » when one side is hidden. Two shown rates
    (« 75 % ») differ in points: « +15 pts »."""
    rates = [RATE.match(value) if isinstance(value, str) else None for value in (current, comparison)]
    if rates[0] and rates[1]:
        points = int(rates[0][1]) - int(rates[1][1])
        return (f"{points:+d} pts" if points else "0 pt").replace("-", "−")
    diff, percent = difference(current, comparison)
    if not isinstance(diff, int):
        return "—"
    text = f"{diff:+d}" if diff else "0"
    if isinstance(percent, int):
        text += f" ({percent:+d} %)"
    return text.replace("-", "−")


def _scope(perimeter: Perimeter, structure: str) -> query.Scope:
    if structure:
        return query.Scope((int(structure),), public_only=False)
    return perimeter.scope


def _lines(result: query.Result) -> dict[str, tuple[str, Shown]]:
    return {line.code: (line.label, line.total) for line in result.lines}


def _declared_table(code: str, scope: query.Scope, choice: Choice) -> tuple[str, list[Row]]:
    """An indicator whose figures its source declares (`mesure: valeurs-declarees`, the action plan's): one row
    per line, its latest value measured within each period, as the source writes it (no total, no chart)."""
    now, before = (query.run(code, scope, months=span.months) for span in (choice.current, choice.comparison))
    earlier = {line.code: line.cells.get(DECLARED_VALUE, "") for line in before.lines}
    rows = [
        Row(line.label, line.cells.get(DECLARED_VALUE, "") or "—", earlier.get(line.code, "") or "—", "")
        for line in now.lines
    ]
    return "Indicateur", rows


def _table(code: str, scope: query.Scope, choice: Choice) -> tuple[str, list[Row]]:
    """The rows of one indicator: per breakdown value or département, then the total."""
    runs = []
    for months in (choice.current.months, choice.comparison.months):
        if choice.breakdown == BY_DEPARTEMENT:
            runs.append(
                query.run(code, scope, level="departement", territory=choice.territory, months=months)
            )
        else:
            runs.append(
                query.run(
                    code, scope, breakdown=choice.breakdown or None, territory=choice.territory, months=months
                )
            )
    now, before = runs
    if choice.breakdown == BY_DEPARTEMENT:
        lines_now, lines_before = _lines(now), _lines(before)
        codes = sorted(set(lines_now) | set(lines_before), key=lambda t: (t == "", t))
        rows = [
            Row(
                (lines_now.get(c) or lines_before[c])[0],
                lines_now.get(c, ("", 0))[1],
                lines_before.get(c, ("", 0))[1],
                "",
            )
            for c in codes
        ]
        if choice.territory is None or choice.territory[0] != "departement":
            rows.append(Row("Total", now.total if now.lines else 0, before.total if before.lines else 0, ""))
        first = "Département"
    elif choice.breakdown:
        cells_now = now.lines[0].cells if now.lines else {}
        cells_before = before.lines[0].cells if before.lines else {}
        labels = dict(now.columns) | {v: label for v, label in before.columns if v not in dict(now.columns)}
        rows = [Row(label, cells_now.get(v, 0), cells_before.get(v, 0), "") for v, label in labels.items()]
        rows.append(
            Row(
                "Total",
                now.lines[0].total if now.lines else 0,
                before.lines[0].total if before.lines else 0,
                "",
            )
        )
        first = DIMENSIONS[choice.breakdown]
    else:
        rows = [
            Row(
                "Total",
                now.lines[0].total if now.lines else 0,
                before.lines[0].total if before.lines else 0,
                "",
            )
        ]
        first = "Ensemble"
    for row in rows:
        row.change = change(row.current, row.comparison)
    return first, rows


def _chart(tile: Tile, choice: Choice) -> ChartSpec:
    rows = [row for row in tile.rows if row.label != "Total"] or tile.rows

    def series(name: str, cells: list[Shown]) -> Series:
        return Series(
            name, tuple(c if isinstance(c, int) else None for c in cells), tuple(str(c) for c in cells)
        )

    return ChartSpec(
        key=f"graphique-{tile.key}",
        title=f"{tile.indicator.libelle} : {choice.current.label} et {choice.comparison.label}",
        description=(
            f"Deux barres par ligne du tableau qui suit : {choice.current.label} (pleine), "
            f"{choice.comparison.label} (hachurée). Une valeur masquée n’a pas de barre ; le tableau donne "
            "toutes les valeurs."
        ),
        categories=tuple(row.label for row in rows),
        series=(
            series(choice.current.label, [row.current for row in rows]),
            series(choice.comparison.label, [row.comparison for row in rows]),
        ),
    )


def _targets(code: str, choice: Choice, total: Shown, whole_region: str) -> list[Target]:
    """The action plans' targets for the year of the period, for the indicator `code`. Compared with the figure
    only when both measure the same thing: the whole year, every structure, the plan's own région."""
    found = (
        IndicatorTarget.objects.filter(indicator__indicateur=code, year=choice.current.year)
        .select_related("indicator__action__objective__axis__plan")
        .order_by("indicator__action__objective__axis__plan__region_id", "indicator_id")
    )
    region = choice.territory[1] if choice.territory and choice.territory[0] == "region" else ""
    if choice.territory and not region:
        region = (
            Departement.objects.filter(pk=choice.territory[1]).values_list("region_id", flat=True).first()
            or ""
        )
    targets = []
    for target in found:
        indicator = target.indicator
        plan = indicator.action.objective.axis.plan
        if region and plan.region_id != region:
            continue
        reached = ""
        comparable = (
            choice.current.kind == "annee" and whole_region == plan.region_id and not choice.structure
        )
        if comparable and isinstance(total, int) and target.value:
            reached = f"{round(100 * total / target.value)} % de la cible"
        targets.append(
            Target(
                plan.title,
                indicator.action.code,
                indicator.label,
                target.year,
                target.value,
                indicator.unit,
                reached,
            )
        )
    return targets


def _state_rows(choice: Choice) -> list[StateRow]:
    level, code = choice.territory or ("", "")
    now = state_queries.state_figures(choice.current.code, level, code)
    before = state_queries.state_figures(choice.comparison.code, level, code)
    services, indicators = dict(Service.choices), dict(StateIndicator.choices)
    rows = []
    for service, indicator in sorted(set(now) | set(before)):
        current = now.get((service, indicator), "—")
        comparison = before.get((service, indicator), "—")
        rows.append(
            StateRow(
                services.get(service, service),
                indicators.get(indicator, indicator),
                current,
                comparison,
                change(current, comparison),
            )
        )
    return rows


def build(perimeter: Perimeter, choice: Choice) -> Dashboard:
    """Every declared indicator the reader may see, in the declarations' order."""
    scope = _scope(perimeter, choice.structure)
    whole_region = (
        choice.territory[1]
        if choice.territory and choice.territory[0] == "region" and scope.structures is None
        else ""
    )
    tiles, unavailable = [], []
    for indicator in query.listed(scope):
        if not indicator.disponible:
            unavailable.append(indicator)
            continue
        tile = Tile(indicator)
        if (
            choice.breakdown
            and choice.breakdown != BY_DEPARTEMENT
            and choice.breakdown not in indicator.ventilations
        ):
            tile.note = (
                f"Pas de ventilation par « {DIMENSIONS[choice.breakdown].lower()} » pour cet indicateur."
            )
        declared = indicator.mesure == "valeurs-declarees"
        try:
            if declared:
                tile.first_header, tile.rows = _declared_table(indicator.code, scope, choice)
            else:
                tile.first_header, tile.rows = _table(
                    indicator.code, scope, choice if not tile.note else _without_breakdown(choice)
                )
        except query.QueryError as error:
            tile.note = f"Pas de tableau pour ce choix : {error}."
            tile.rows = []
        if declared and not tile.rows and not tile.note:
            tile.note = "Aucun plan d’action publié n’a d’indicateur pour cette période."
        if tile.rows and not declared:
            tile.chart = _chart(tile, choice)
            tile.targets = _targets(indicator.code, choice, tile.rows[-1].current, whole_region)
        tiles.append(tile)
    state_rows = _state_rows(choice) if perimeter.state_figures and choice.territory else None
    return Dashboard(perimeter, choice, tiles, unavailable, state_rows)


def _without_breakdown(choice: Choice) -> Choice:
    return Choice(
        choice.current, choice.comparison, choice.territory, choice.territory_label, "", choice.structure
    )


def breakdowns() -> list[tuple[str, str]]:
    """The breakdowns a reader may ask: none, by département, or a dimension some computed indicator holds."""
    held = {d for dims in rollups.COMPUTED.values() for d in dims}
    return [("", "Aucune"), (BY_DEPARTEMENT, "Par département")] + [
        (code, label) for code, label in DIMENSIONS.items() if code in held
    ]


def sheet_rows(dashboard: Dashboard, key: str) -> tuple[str, list[str], list[list]] | None:
    """One table of the dashboard as a sheet (title, headers, rows), as shown on the page; None if unknown."""
    choice = dashboard.choice
    periods = [choice.current.label, choice.comparison.label, "Évolution", "Évolution (%)"]
    if key == STATE_TABLE and dashboard.state_rows is not None:
        rows = [
            [r.service, r.indicator, r.current, r.comparison, *difference(r.current, r.comparison)]
            for r in dashboard.state_rows
        ]
        return "Données de l’État", ["Service", "Indicateur", *periods], rows
    for tile in dashboard.tiles:
        if tile.key == key and tile.rows:
            rows = [
                [r.label, r.current, r.comparison, *difference(r.current, r.comparison)] for r in tile.rows
            ]
            return tile.indicator.libelle, [tile.first_header, *periods], rows
    return None
