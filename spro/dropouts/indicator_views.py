"""/pro/decrochage/indicateurs: the chain's indicators per campaign and PSAD zone, counts only, small counts hidden
(spro/dropouts/indicators.py); each chart has its table as text alternative; CSV and ODS downloads of the same
tables. Thin views: who sees which zones and every count come from `spro.dropouts.indicators`."""

from __future__ import annotations

import csv
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from spro.core import charts, documents
from spro.core.disclosure import MASKED, SMALL, THRESHOLD
from spro.dropouts import indicators
from spro.dropouts.models import Campaign


class IndicatorFilterForm(forms.Form):
    campagne = forms.ChoiceField(label="Campagne")
    zone = forms.ChoiceField(label="Zone de PSAD", required=False)

    def __init__(self, data, *, zones: list, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        campaigns = list(Campaign.objects.order_by("-code").values_list("code", flat=True))
        cast(forms.ChoiceField, self.fields["campagne"]).choices = [(code, code) for code in campaigns]
        cast(forms.ChoiceField, self.fields["zone"]).choices = [
            ("", "Toutes vos zones"),
            *[(zone.code, zone.nom) for zone in zones],
        ]
        self.latest = campaigns[0] if campaigns else ""


def _result(request: HttpRequest) -> tuple[IndicatorFilterForm, indicators.Indicators | None]:
    """The form and the indicators it asks for (None when the form is invalid or no campaign exists);
    PermissionDenied (403) for a user who sees no zone."""
    allowed = indicators.visible_zones(request.user)
    zones = allowed if allowed is not None else list(indicators.PsadZone.objects.order_by("code"))
    form = IndicatorFilterForm(request.GET or None, zones=zones)
    if not form.is_bound:
        if not form.latest:
            return form, None
        form = IndicatorFilterForm({"campagne": form.latest}, zones=zones)
    if not form.is_valid():
        return form, None
    try:
        result = indicators.for_user(request.user, form.cleaned_data["campagne"], form.cleaned_data["zone"])
    except indicators.IndicatorError as error:
        form.add_error(None, str(error))
        return form, None
    return form, result


def _chart(table: indicators.Table) -> str:
    total = table.rows[-1][2]
    bars = [
        charts.Bar(label, value if isinstance(value, int) else None, str(value))
        for code, label in table.columns
        for value in [total[code]]
    ]
    return charts.bar_chart(
        f"{table.title} : total",
        "Une barre par indicateur, sa valeur écrite après elle ; les mêmes valeurs, par zone, sont dans le "
        "tableau qui suit le graphique.",
        bars,
        chart_id=f"graphique-{table.key}",
    )


@never_cache
@login_required
@require_GET
def indicators_page(request: HttpRequest) -> HttpResponse:
    form, result = _result(request)
    context: dict[str, Any] = {
        "title": "Décrochage : indicateurs",
        "form": form,
        "result": result,
        "tables": [(table, _chart(table)) for table in result.tables] if result else [],
        "query": request.GET.urlencode(),
        "small": SMALL,
        "masked": MASKED,
        "threshold": THRESHOLD,
    }
    return render(request, "dropouts/indicators.html", context, status=400 if form.errors else 200)


def _export(request: HttpRequest) -> indicators.Indicators | HttpResponse:
    form, result = _result(request)
    if result is None:
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs) or "Aucune campagne."
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return result


@never_cache
@login_required
@require_GET
def indicators_csv(request: HttpRequest) -> HttpResponse:
    """The tables as one CSV (UTF-8 with BOM, « ; » separated), hidden cells as shown on the page."""
    result = _export(request)
    if isinstance(result, HttpResponse):
        return result
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicateurs-decrochage-{result.campaign.code}.csv"'
    )
    response.write("\ufeff")
    csv.writer(response, delimiter=";").writerows(indicators.csv_rows(result))
    return response


@never_cache
@login_required
@require_GET
def indicators_ods(request: HttpRequest) -> HttpResponse:
    """The tables as a spreadsheet, one sheet each."""
    result = _export(request)
    if isinstance(result, HttpResponse):
        return result
    return documents.spreadsheet_response(
        indicators.sheets(result), f"indicateurs-decrochage-{result.campaign.code}"
    )
