"""The SPRO's yearly activity report for the CREFOP (docs/rapport-annuel.md): one neutral `Document` built from
the data of one calendar year, written as PDF or ODT by `spro.core.documents` with the Region's theme.

Every figure is read, never typed: the activity from the indicators' rollups (`spro.monitoring.query`, every
structure, small counts hidden by `spro.core.disclosure`), the action plan's progress from `spro.actionplan`, the
dropout chain's results from `spro.dropouts.indicators`, the State's figures from `spro.statedata`, the published
good practices from `spro.practices`. Which indicators are computed comes from their declarations: a declared
indicator that is not computed prints « indicateur non disponible : <its statut> », so an indicator that becomes
computed (satisfaction…) appears in the next report without any change here. Each year is set against the previous
one; each chart is followed by its table (its text alternative).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from spro import audit
from spro.accounts.models import TerritorialRole
from spro.accounts.permissions import is_platform_admin, scopes_with_role
from spro.actionplan.models import Action, ActionPlan, ActionStatus, IndicatorValue
from spro.core import charts, documents
from spro.core.disclosure import MASKED, SMALL, THRESHOLD, Shown
from spro.core.documents import Block, BulletList, Chart, Document, Heading, KeyValues, Paragraph, Table
from spro.core.vocabularies.territoires import TerritoryLevel
from spro.dropouts import indicators as dropout_indicators
from spro.dropouts.models import Campaign
from spro.monitoring import declarations, query
from spro.monitoring.declarations import DIMENSIONS, Indicator
from spro.practices.models import Practice
from spro.practices.vocabularies import Kind, Theme
from spro.practices.vocabularies import Status as PracticeStatus
from spro.statedata.models import StateFigure
from spro.statedata.vocabularies import Indicator as StateIndicator
from spro.statedata.vocabularies import Service

FORMATS = ("pdf", "odt")
FIRST_YEAR = 2000
ACTIVITY = ("premiers-contacts", "orientations")
SATISFACTION = "satisfaction"
#: Declarations whose section reads its source directly while they are not computed as rollups.
READ_FROM_SOURCE = ("plan-action", "decrochage-issues")
#: The territory level of the activity's territorial tables.
TERRITORY_LEVEL = "departement"
NOT_AVAILABLE = "indicateur non disponible : {reason}"


#: Who reads the report: the Region's and the State's pilots and the CREFOP's members (it holds counts only, every
#: small one hidden), and the platform admin.
READERS = (TerritorialRole.PILOTE_REGION, TerritorialRole.PILOTE_ETAT, TerritorialRole.MEMBRE_CREFOP)


def can_read(user) -> bool:
    return is_platform_admin(user) or scopes_with_role(user, *READERS).exists()


class ReportError(ValueError):
    """A bad year, format or output path, said in French (the command exits non-zero, the page answers 400)."""


def check_year(value: str | int, today: dt.date | None = None) -> int:
    """The year asked, from 2000 to the current one (a report of the future would be empty)."""
    current = (today or timezone.localdate()).year
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ReportError(f"année : un nombre à quatre chiffres est attendu (reçu « {value} »)") from None
    if not FIRST_YEAR <= year <= current:
        raise ReportError(f"année : entre {FIRST_YEAR} et {current} (reçu {year})")
    return year


def format_of(path: Path, given: str | None = None) -> str:
    """The format asked, or the output file's extension."""
    fmt = (given or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        shown = given or path.suffix or "(aucune extension)"
        raise ReportError(f"format : pdf ou odt attendu (reçu « {shown} »)")
    return fmt


def year_period(year: int) -> query.Period:
    return query.Period(dt.date(year, 1, 1), dt.date(year, 12, 1))


# --- the indicators of the rollups -------------------------------------------------------------------------------
def _number(value: Shown | str) -> int | None:
    """A shown count as a bar's length: None for a hidden one (« < 5 », « masqué »: no bar, only its text)."""
    return value if isinstance(value, int) else None


def _bar(label: str, value: Shown) -> charts.Bar:
    """A bar written as the tables write the same count (« 1 660 »)."""
    return charts.Bar(label, _number(value), documents.format_cell(value))


def _compare(current: list[tuple[str, str, Shown]], previous: dict[str, Shown]) -> list[list[documents.Cell]]:
    return [[label, value, previous.get(code, 0)] for code, label, value in current]


def _whole_cells(result: query.Result) -> list[tuple[str, str, Shown]]:
    line = result.lines[0] if result.lines else None
    return [(code, label, line.cells.get(code, 0) if line else 0) for code, label in result.columns]


def _breakdown_blocks(indicator: Indicator, breakdown: str, year: int) -> list[Block]:
    scope = query.Scope(None, public_only=False)
    now = query.run(indicator.code, scope, breakdown=breakdown, months=year_period(year))
    before = query.run(indicator.code, scope, breakdown=breakdown, months=year_period(year - 1))
    cells = _whole_cells(now)
    previous = {code: value for code, _label, value in _whole_cells(before)}
    # Values seen only the year before still get their line (0 this year).
    cells += [
        (code, label, 0) for code, label, _v in _whole_cells(before) if code not in {c for c, _l, _v in cells}
    ]
    name = DIMENSIONS.get(breakdown, breakdown)
    title = f"{indicator.libelle} par {name.lower()}, {year}"
    if not cells:
        return [
            Paragraph(f"{indicator.libelle} par {name.lower()} : aucune donnée en {year} ni en {year - 1}.")
        ]
    rows = _compare(cells, previous)
    rows.append(["Total", now.total if now.lines else 0, before.total if before.lines else 0])
    bars = [_bar(label, value) for _code, label, value in cells]
    return [
        Heading(f"Par {name.lower()}", 3),
        Chart(
            str(charts.bar_chart(title, _chart_description(name), bars)),
            title,
            _chart_description(name),
        ),
        Table([name, str(year), str(year - 1)], rows, caption=f"{title} et {year - 1}"),
    ]


def _chart_description(name: str) -> str:
    return (
        f"Une barre par {name.lower()}, sa valeur écrite après elle ; un nombre caché n’a pas de barre. "
        "Le tableau qui suit donne les mêmes valeurs et celles de l’année précédente."
    )


def _territory_blocks(indicator: Indicator, year: int) -> list[Block]:
    if TERRITORY_LEVEL not in indicator.territoires:
        return []
    scope = query.Scope(None, public_only=False)
    now = query.run(indicator.code, scope, level=TERRITORY_LEVEL, months=year_period(year))
    before = query.run(indicator.code, scope, level=TERRITORY_LEVEL, months=year_period(year - 1))
    previous = {line.code: line.total for line in before.lines}
    current = [(line.code, line.label, line.total) for line in now.lines]
    seen = {line.code for line in now.lines}
    current += [(line.code, line.label, 0) for line in before.lines if line.code not in seen]
    if not current:
        return []
    level = declarations.TERRITORY_LEVELS[TERRITORY_LEVEL]
    rows = _compare(current, previous)
    rows.append(["Total", now.total, before.total])
    title = f"{indicator.libelle} par {level.lower()}, {year}"
    bars = [_bar(label, value) for _code, label, value in current]
    return [
        Heading(f"Par {level.lower()}", 3),
        Chart(
            str(charts.bar_chart(title, _chart_description(level), bars)), title, _chart_description(level)
        ),
        Table([level, str(year), str(year - 1)], rows, caption=f"{title} et {year - 1}"),
    ]


def indicator_blocks(indicator: Indicator | None, year: int, code: str = "") -> list[Block]:
    """One declared indicator for the year against the previous one: its total, each breakdown it allows, and by
    département; « indicateur non disponible : … » when it is declared but not computed."""
    if indicator is None:
        return [Paragraph(NOT_AVAILABLE.format(reason=f"« {code} » n’est pas déclaré"))]
    blocks: list[Block] = [Heading(indicator.libelle, 2), Paragraph(indicator.definition)]
    if not indicator.disponible:
        blocks.append(Paragraph(NOT_AVAILABLE.format(reason=indicator.statut)))
        return blocks
    scope = query.Scope(None, public_only=False)
    now = query.run(indicator.code, scope, months=year_period(year))
    blocks.append(
        Table(
            ["Période", "Nombre"],
            [[str(year), now.total], [str(year - 1), now.previous_total]],
            caption=f"{indicator.libelle} : {year} et {year - 1}",
        )
    )
    for breakdown in indicator.ventilations:
        blocks += _breakdown_blocks(indicator, breakdown, year)
    blocks += _territory_blocks(indicator, year)
    return blocks


# --- the action plan ----------------------------------------------------------------------------------------------
def _decimal(value) -> str:
    return "–" if value is None else f"{value.normalize():f}".replace(".", ",")


def action_plan_blocks(year: int) -> list[Block]:
    """The plans whose CPRDFOP period covers the year: actions by state (as of today), each action's progress, and
    the indicators' values measured in the year against the previous one."""
    plans = list(ActionPlan.objects.filter(start_year__lte=year, end_year__gte=year).select_related("region"))
    if not plans:
        return [Paragraph(f"Aucun plan d’action partagé ne couvre l’année {year}.")]
    blocks: list[Block] = []
    for plan in plans:
        actions = list(
            Action.objects.filter(objective__axis__plan=plan)
            .select_related("objective__axis")
            .order_by("objective__axis__number", "objective__number", "number")
        )
        blocks.append(Heading(f"{plan.title} ({plan.start_year}-{plan.end_year}, {plan.region.nom})", 2))
        if not actions:
            blocks.append(Paragraph("Ce plan ne contient encore aucune action."))
            continue
        counts = {code: sum(1 for a in actions if a.status == code) for code, _label in ActionStatus.choices}
        mean = round(sum(a.progress for a in actions) / len(actions))
        status_rows: list[list[documents.Cell]] = [
            [label, counts[code]] for code, label in ActionStatus.choices
        ]
        status_rows.append(["Total", len(actions)])
        title = f"Actions du plan par état, au {timezone.localdate():%d/%m/%Y}"
        bars = [_bar(label, counts[code]) for code, label in ActionStatus.choices]
        description = (
            "Une barre par état, le nombre d’actions écrit après elle ; le tableau qui suit le reprend."
        )
        blocks += [
            KeyValues([("Actions", str(len(actions))), ("Avancement moyen", f"{mean} %")]),
            Paragraph(
                "L’état et l’avancement sont ceux du plan à la date du rapport (le plan ne garde pas leur "
                "historique : pas de comparaison à l’année précédente)."
            ),
            Chart(str(charts.bar_chart(title, description, bars)), title, description),
            Table(
                ["État", "Actions"],
                status_rows,
                caption=title,
            ),
            Table(
                ["Action", "Intitulé", "État", "Avancement (%)"],
                [[a.code, a.title, a.get_status_display(), a.progress] for a in actions],
                caption="Avancement de chaque action",
            ),
        ]
        blocks += _plan_indicator_blocks(plan, year)
    return blocks


def _plan_indicator_blocks(plan: ActionPlan, year: int) -> list[Block]:
    values = (
        IndicatorValue.objects.filter(indicator__action__objective__axis__plan=plan)
        .filter(Q(period__startswith=str(year)) | Q(period__startswith=str(year - 1)))
        .select_related("indicator__action__objective__axis")
        .prefetch_related("indicator__targets")
        .order_by("indicator__action__objective__axis__number", "indicator__pk", "period_end")
    )
    latest: dict[int, dict[int, IndicatorValue]] = {}
    for value in values:
        latest.setdefault(value.indicator_id, {})[int(value.period[:4])] = (
            value  # the year's last period wins
        )
    if not latest:
        return [
            Paragraph(f"Aucune valeur d’indicateur du plan n’a été saisie pour {year} ni pour {year - 1}.")
        ]
    rows: list[list[documents.Cell]] = []
    for by_year in latest.values():
        indicator = next(iter(by_year.values())).indicator
        target = next((t.value for t in indicator.targets.all() if t.year == year), None)
        label = indicator.label + (f" ({indicator.unit})" if indicator.unit else "")
        cells = [
            f"{by_year[y].period} : {_decimal(by_year[y].value)}" if y in by_year else "–"
            for y in (year, year - 1)
        ]
        rows.append([indicator.action.code, label, _decimal(target), *cells])
    return [
        Table(
            ["Action", "Indicateur", f"Cible {year}", f"Valeur {year}", f"Valeur {year - 1}"],
            rows,
            caption=f"Indicateurs des actions : dernière valeur saisie en {year} et en {year - 1}",
        )
    ]


# --- the dropout chain ------------------------------------------------------------------------------------------
def _campaigns(year: int) -> list[Campaign]:
    return list(Campaign.objects.filter(code__startswith=f"{year}-").order_by("code"))


def _totals(result: dropout_indicators.Indicators, key: str) -> dict[str, Shown]:
    table = next(t for t in result.tables if t.key == key)
    return table.rows[-1][2]


def dropout_blocks(year: int) -> list[Block]:
    """The campaigns of the year and of the previous one (the « Total » line of their tables), then each campaign
    of the year table by table, per PSAD zone (counts from `spro.dropouts.indicators`, small counts hidden)."""
    current = [dropout_indicators.compute(c, None, with_no_zone=True) for c in _campaigns(year)]
    previous = [dropout_indicators.compute(c, None, with_no_zone=True) for c in _campaigns(year - 1)]
    if not current and not previous:
        return [Paragraph(f"Aucune campagne de repérage du décrochage en {year} ni en {year - 1}.")]
    columns = [*dropout_indicators.CONTACT_COLUMNS, dropout_indicators.SOLUTION_COLUMNS[0]]
    rows: list[list[documents.Cell]] = []
    for result in previous + current:
        totals = {**_totals(result, "contact"), **_totals(result, "solutions")}
        rows.append([result.campaign.code, *[totals[code] for code, _label in columns]])
    blocks: list[Block] = [
        Table(
            ["Campagne", *[label for _code, label in columns]],
            rows,
            caption=f"Campagnes de {year - 1} et de {year} : ensemble des zones",
        )
    ]
    for result in current:
        blocks.append(Heading(f"Campagne {result.campaign.code} (comptes au {result.on:%d/%m/%Y})", 2))
        for table in result.tables:
            total = table.rows[-1][2]
            bars = [_bar(label, total[code]) for code, label in table.columns]
            description = (
                "Une barre par compte, celui de toutes les zones ; le tableau qui suit donne chaque zone."
            )
            blocks += [
                Heading(table.title, 3),
                Chart(
                    str(charts.bar_chart(f"{table.title} : total", description, bars)),
                    "Toutes zones",
                    description,
                ),
                _zone_table(table, result.campaign.code),
            ]
    return blocks


def _zone_table(table: dropout_indicators.Table, campaign: str) -> Table:
    """A dropout table per zone, turned so that the longer list runs down the page: zones as rows when there are
    more zones than counts, counts as rows otherwise (a page is too narrow for twelve columns of solutions)."""
    caption = f"{table.title}, campagne {campaign}, par zone"
    if len(table.rows) >= len(table.columns):
        return Table(
            ["Zone", *[label for _code, label in table.columns]],
            [[label, *[cells[code] for code, _l in table.columns]] for _c, label, cells in table.rows],
            caption=caption,
        )
    return Table(
        ["Compte", *[label for _c, label, _cells in table.rows]],
        [[label, *[cells[code] for _c, _l, cells in table.rows]] for code, label in table.columns],
        caption=caption,
    )


# --- the State's figures ----------------------------------------------------------------------------------------
def _year_value(figures: list[StateFigure], year: int) -> tuple[int, str] | None:
    """The year's value: the yearly figure, else the sum of its quarters, else of its months (never both)."""
    by_period = {f.period: f.value for f in figures if f.period.startswith(str(year))}
    if str(year) in by_period:
        return by_period[str(year)], "année"
    quarters = [v for p, v in by_period.items() if "-T" in p]
    if quarters:
        return sum(quarters), f"{len(quarters)} trimestre(s)"
    months = [v for p, v in by_period.items() if len(p) == 7 and "-T" not in p]
    if months:
        return sum(months), f"{len(months)} mois"
    return None


def state_blocks(year: int) -> list[Block]:
    """The State's services' figures at the région level (else the départements'), the year against the previous
    one. Not hidden below 5: activity counts published by the services themselves (docs/donnees-etat.md)."""
    periods = (str(year), str(year - 1))
    found = StateFigure.objects.filter(Q(period__startswith=str(year)) | Q(period__startswith=str(year - 1)))
    level = next(
        (
            lv
            for lv in (TerritoryLevel.REGION, TerritoryLevel.DEPARTEMENT)
            if found.filter(territory_level=lv).exists()
        ),
        None,
    )
    if level is None:
        return [
            Paragraph(f"Aucun chiffre des services de l’État n’a été importé pour {year} ni pour {year - 1}.")
        ]
    grouped: dict[tuple[str, str, str], list[StateFigure]] = {}
    for figure in found.filter(territory_level=level):
        grouped.setdefault((figure.territory_code, figure.service, figure.indicator), []).append(figure)
    names = query.territory_labels(str(level), sorted({code for code, _s, _i in grouped}))
    services, indicators = dict(Service.choices), dict(StateIndicator.choices)
    rows: list[list[documents.Cell]] = []
    for (code, service, indicator), figures in sorted(grouped.items()):
        values = [_year_value(figures, int(p)) for p in periods]
        rows.append(
            [
                names.get(code, code),
                services.get(service, service),
                indicators.get(indicator, indicator),
                *[f"{v[0]:,}".replace(",", "\u202f") + f" ({v[1]})" if v else "–" for v in values],
            ]
        )
    return [
        Table(
            ["Territoire", "Service", "Indicateur", str(year), str(year - 1)],
            rows,
            caption=f"Chiffres des services de l’État par {TerritoryLevel(level).label.lower()}, {year} et {year - 1}",
        )
    ]


# --- the good practices -------------------------------------------------------------------------------------------
def practice_blocks(year: int) -> list[Block]:
    """The good practices the Region published in the year (title, territory, theme), and their count by theme
    against the previous year."""
    published = Practice.objects.filter(status=PracticeStatus.PUBLIEE, kind=Kind.BONNE_PRATIQUE)
    now = list(published.filter(reviewed_at__year=year).order_by("theme", "title"))
    before = list(published.filter(reviewed_at__year=year - 1))
    if not now and not before:
        return [Paragraph(f"Aucune bonne pratique publiée en {year} ni en {year - 1}.")]
    themes = dict(Theme.choices)
    counts = [
        (label, sum(1 for p in now if p.theme == code), sum(1 for p in before if p.theme == code))
        for code, label in Theme.choices
    ]
    counts = [c for c in counts if c[1] or c[2]]
    title = f"Bonnes pratiques publiées par thème, {year}"
    description = (
        "Une barre par thème, le nombre écrit après elle ; le tableau qui suit ajoute l’année précédente."
    )
    bars = [_bar(label, n) for label, n, _p in counts]
    theme_rows: list[list[documents.Cell]] = [[label, n, p] for label, n, p in counts]
    theme_rows.append(["Total", len(now), len(before)])
    blocks: list[Block] = [
        Chart(str(charts.bar_chart(title, description, bars)), title, description),
        Table(
            ["Thème", str(year), str(year - 1)],
            theme_rows,
            caption=f"{title} et {year - 1}",
        ),
    ]
    if now:
        labels: dict[tuple[str, str], str] = {}
        for level in {p.territory_level for p in now}:
            codes = sorted({p.territory_code for p in now if p.territory_level == level})
            labels.update({(level, c): n for c, n in query.territory_labels(level, codes).items()})
        blocks.append(
            Table(
                ["Titre", "Territoire", "Thème"],
                [
                    [
                        p.title,
                        labels.get((p.territory_level, p.territory_code), p.territory_code),
                        themes[p.theme],
                    ]
                    for p in now
                ],
                caption=f"Bonnes pratiques publiées en {year}",
            )
        )
    return blocks


# --- the document ------------------------------------------------------------------------------------------------
def build(year: int) -> Document:
    """The report of `year` (every structure of the platform: the Region-wide scope)."""
    loaded = declarations.load()
    blocks: list[Block] = [
        KeyValues(
            [
                ("Année", str(year)),
                ("Comparée à", str(year - 1)),
                ("Périmètre", "toutes les structures du service public régional de l’orientation"),
                ("Établi le", timezone.localdate().strftime("%d/%m/%Y")),
            ]
        ),
        Paragraph(
            f"Tous les chiffres sont lus dans les données de la plateforme à la date du rapport. Secret "
            f"statistique : un nombre de 1 à {THRESHOLD - 1} est affiché « {SMALL} » ; quand un total permettrait "
            f"de le retrouver, un autre nombre de la même somme est affiché « {MASKED} ». Chaque graphique est "
            "suivi du tableau qui donne ses valeurs."
        ),
        Heading("1. Activité : premiers contacts et mises en relation", 1),
    ]
    for code in ACTIVITY:
        blocks += indicator_blocks(loaded.get(code), year, code)
    blocks.append(Heading("2. Avancement du plan d’action partagé", 1))
    blocks += action_plan_blocks(year)
    blocks.append(Heading("3. Repérage et accompagnement des décrocheurs", 1))
    blocks += dropout_blocks(year)
    blocks.append(Heading("4. Satisfaction des personnes", 1))
    blocks += indicator_blocks(loaded.get(SATISFACTION), year, SATISFACTION)
    blocks.append(Heading("5. Chiffres des services de l’État", 1))
    blocks += state_blocks(year)
    blocks.append(Heading("6. Bonnes pratiques publiées", 1))
    blocks += practice_blocks(year)
    others = [
        i
        for i in loaded.indicators
        if i.code not in (*ACTIVITY, SATISFACTION) and (i.disponible or i.code not in READ_FROM_SOURCE)
    ]
    blocks.append(Heading("7. Autres indicateurs du pilotage", 1))
    blocks += _others(others, year)
    return Document(
        title=f"Rapport d’activité {year} du service public régional de l’orientation",
        subtitle=f"Présenté au CREFOP — année {year} comparée à {year - 1}",
        blocks=blocks,
    )


def _others(indicators: Iterable[Indicator], year: int) -> list[Block]:
    blocks: list[Block] = []
    missing = []
    for indicator in indicators:
        if indicator.disponible:
            blocks += indicator_blocks(indicator, year)
        else:
            missing.append(f"{indicator.libelle} — {NOT_AVAILABLE.format(reason=indicator.statut)}")
    if missing:
        blocks.append(BulletList(missing))
    return blocks or [Paragraph("Aucun autre indicateur n’est déclaré.")]


def render(year: int, fmt: str) -> bytes:
    if fmt == "pdf":
        return documents.to_pdf(build(year))
    if fmt == "odt":
        return documents.to_odt(build(year))
    raise ReportError(f"format : pdf ou odt attendu (reçu « {fmt} »)")


def write(year: int, path: Path, fmt: str, user=None) -> int:
    """Write the report to `path` through a temporary file in the same folder, renamed when complete (never a
    partial file); one audit event. Returns the size in bytes."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError(f"sortie : le dossier « {folder} » n’existe pas (ou n’est pas un dossier)")
    content = render(year, fmt)
    try:
        handle, temporary = tempfile.mkstemp(prefix=".rapport-", suffix=f".{fmt}", dir=folder)
    except OSError as error:
        raise ReportError(f"sortie : impossible d’écrire dans « {folder} » ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ReportError(f"sortie : impossible d’écrire « {path} » ({error.strerror})") from None
    record_export(user, year, fmt)
    return len(content)


def record_export(user, year: int, fmt: str) -> None:
    audit.record(
        user, "monitoring.report", ("monitoring.rapport-annuel", year), detail=f"rapport annuel {year} {fmt}"
    )
