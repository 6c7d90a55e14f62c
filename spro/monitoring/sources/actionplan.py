"""« plan-action »: the action plan's indicators, target against measured value, per action, read from the plan
itself rather than from rollups.

Why no rollups: these are not counts of people or of acts recorded by the platform but figures the plan declares
(a baseline, a target per year, values measured per period, entered by the Region's team); there is nothing to
add up, and nothing to hide (no small count of people: `spro.core.disclosure` does not apply). So
`spro.monitoring.query.run` hands the indicator to `read` (its `READERS`) after the usual checks, and the pages,
the API and the exports get the same `query.Result`.

What is read: for each plan, its latest **published** version (`spro.actionplan.plans.published_version`: the one
approved by the State and shown to the public), never the draft. One line per indicator of an action (« 1.2.3 —
label (unit) »); columns: the baseline (and its year), the target of the period's last year, the latest value whose
period ends within the period asked, and that value's period. Figures stay as the plan writes them (text, « . »
as the decimal separator).
"""

from __future__ import annotations

import datetime as dt

from spro.actionplan.models import ActionPlan
from spro.actionplan.plans import actions_of, published_version
from spro.core.months import add_months
from spro.monitoring import query

INDICATOR = "plan-action"
COLUMNS = [
    ("reference", "Valeur de référence"),
    ("annee_reference", "Année de référence"),
    ("cible", "Cible de l’année"),
    ("valeur", "Dernière valeur mesurée"),
    ("periode", "Période de la valeur"),
]


def read(result: query.Result) -> query.Result:
    """Fill `result` (period already checked) with the published plans' indicators."""
    months = result.period
    last_day = add_months(months.end, 1) - dt.timedelta(days=1)
    result.columns = list(COLUMNS)
    for plan in ActionPlan.objects.order_by("start_year", "pk"):
        version = published_version(plan)
        if version is None:
            continue
        for _axis, _objective, action in actions_of(version.snapshot):
            for n, indicator in enumerate(action.get("indicators", []), 1):
                measured = [
                    value
                    for value in indicator.get("values", [])
                    if months.start <= dt.date.fromisoformat(value["period_end"]) <= last_day
                ]
                latest = max(measured, key=lambda value: value["period_end"], default=None)
                target = next(
                    (t["value"] for t in indicator.get("targets", []) if t["year"] == months.end.year), None
                )
                unit = f" ({indicator['unit']})" if indicator.get("unit") else ""
                cells: dict[str, query.Shown] = {
                    "reference": indicator.get("baseline") or "",
                    "annee_reference": str(indicator.get("baseline_year") or ""),
                    "cible": target or "",
                    "valeur": latest["value"] if latest else "",
                    "periode": latest["period"] if latest else "",
                }
                result.lines.append(
                    query.Line(
                        f"{action['code']}-{n}", f"{action['code']} — {indicator['label']}{unit}", cells, ""
                    )
                )
    result.total = ""
    result.previous_total = ""
    return result
