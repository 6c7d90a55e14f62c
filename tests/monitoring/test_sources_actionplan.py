"""« plan-action »: read from the action plan's latest published version (never a draft), target against measured
value per action indicator, through `query.run` and the public API like the other indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from spro.actionplan import plans
from spro.actionplan.models import IndicatorValue, PlanVersion
from spro.monitoring import query
from tests.actionplan.conftest import world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
PUBLIC = query.Scope(None, public_only=True)


def publish(world):  # noqa: F811 - the fixture's value
    version = plans.record_version(world["plan"], world["users"]["pilote_region"])
    user = world["users"]["pilote_region"]
    PlanVersion.objects.filter(pk=version.pk).update(published_at=timezone.now(), published_by=user)
    return version


def test_nothing_is_read_before_a_version_is_published(world):  # noqa: F811
    plans.record_version(world["plan"], world["users"]["pilote_region"])  # recorded, not published
    result = query.run("plan-action", PUBLIC, months=query.period("2027-01", "2027-12"))
    assert result.lines == []


def test_target_and_latest_value_of_the_period_from_the_published_version(world):  # noqa: F811
    publish(world)
    indicator = world["plan"].axes.get().objectives.get().actions.get(number=1).indicators.get()
    # Recorded after the publication: not shown until a new version is published.
    IndicatorValue.objects.create(
        indicator=indicator, period="2027-S2", period_end=dt.date(2027, 12, 31), value=Decimal("1400")
    )
    year = query.run("plan-action", PUBLIC, months=query.period("2027-01", "2027-12"))
    assert [(line.code, line.label) for line in year.lines] == [
        ("1.1.1-1", "1.1.1 — Personnes informées (personnes)")
    ]
    assert year.lines[0].cells == {
        "reference": "1200",
        "annee_reference": "2026",
        "cible": "1500",
        "valeur": "800",
        "periode": "2027-S1",
    }
    publish(world)
    year = query.run("plan-action", PUBLIC, months=query.period("2027-01", "2027-12"))
    assert year.lines[0].cells["valeur"] == "1400" and year.lines[0].cells["periode"] == "2027-S2"
    next_year = query.run("plan-action", PUBLIC, months=query.period("2028-01", "2028-06"))
    assert next_year.lines[0].cells["cible"] == "1800.5" and next_year.lines[0].cells["valeur"] == ""
    with pytest.raises(query.QueryError, match="ventilation"):
        query.run("plan-action", PUBLIC, breakdown="canal", months=query.period("2027-01", "2027-12"))


def test_the_public_api_serves_it(client, world):  # noqa: F811
    publish(world)
    response = client.get("/api/v1/indicateurs/plan-action?debut=2027-01&fin=2027-12")
    assert response.status_code == 200
    body = response.json()
    assert body["indicateur"]["disponible"] is True and body["indicateur"]["mesure"] == "valeurs-declarees"
    assert [c["code"] for c in body["colonnes"]] == [
        "reference",
        "annee_reference",
        "cible",
        "valeur",
        "periode",
    ]
    assert body["lignes"][0]["valeurs"]["cible"] == "1500"
    assert client.get("/api/v1/indicateurs/plan-action?niveau=region").status_code == 400


def test_the_dashboard_shows_each_plan_indicator_s_latest_value_for_both_periods(client, world):  # noqa: F811
    publish(world)
    client.force_login(world["users"]["pilote_region"])
    html = client.get("/pro/pilotage/?periode=2027&comparaison=2026").content.decode()
    start = html.index('id="tableau-plan-action"')
    table = html[start : html.index("</table>", start)]
    # One row per action indicator (never a « Total » of declared figures): 800 measured in 2027, none in 2026.
    assert '<th scope="row">1.1.1 — Personnes informées (personnes)</th><td>800</td><td>—</td>' in table
    assert "Total" not in table
