"""`/pro/pilotage/`: the dashboard of the reader's perimeter and the exports of its tables (CSV, ODS, XLSX).

Thin: `dashboard.perimeter` decides what the reader covers from its roles, `dashboard.build` reads the figures
through `query` (small counts already hidden), `spro.core.documents` writes the files. A territory or a structure
outside the perimeter is a 404 (the page does not say whether it exists); a bad period is a 400 with its reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from spro.core import documents
from spro.core.disclosure import MASKED, SMALL, THRESHOLD
from spro.core.documents import Sheet
from spro.monitoring import dashboard, query, report


class DashboardForm(forms.Form):
    periode = forms.CharField(
        label="Période",
        max_length=7,
        help_text="Un mois (2026-03), un trimestre (2026-T1) ou une année (2026).",
    )
    comparaison = forms.CharField(
        label="Comparer avec",
        max_length=7,
        required=False,
        help_text="Même forme ; vide : la période précédente de même durée.",
    )
    territoire = forms.ChoiceField(label="Territoire", required=False)
    structure = forms.ChoiceField(label="Structure", required=False)
    ventilation = forms.ChoiceField(label="Ventilation", required=False)

    def __init__(self, data: Any, *, perimeter: dashboard.Perimeter) -> None:
        super().__init__(data)
        self.perimeter = perimeter
        self.fields["territoire"].choices = list(perimeter.territories)  # type: ignore[attr-defined]
        if perimeter.structures:
            self.fields["structure"].choices = [("", "Toutes"), *perimeter.structures]  # type: ignore[attr-defined]
        else:
            del self.fields["structure"]
        self.fields["ventilation"].choices = dashboard.breakdowns()  # type: ignore[attr-defined]

    def clean_periode(self) -> dashboard.Span:
        try:
            return dashboard.span(self.cleaned_data["periode"])
        except query.QueryError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        current = data.get("periode")
        if isinstance(current, dashboard.Span):
            text = (data.get("comparaison") or "").strip()
            try:
                comparison = dashboard.span(text) if text else dashboard.previous(current)
            except query.QueryError as error:
                self.add_error("comparaison", str(error).replace("période :", "comparer avec :"))
                return data
            if comparison.kind != current.kind:
                self.add_error(
                    "comparaison",
                    "comparer avec : choisissez une période de même durée (un mois avec un mois, un trimestre "
                    "avec un trimestre, une année avec une année)",
                )
            data["comparaison"] = comparison
        return data

    def choice(self) -> dashboard.Choice:
        data = self.cleaned_data
        territory = data.get("territoire") or ""
        level, _sep, code = territory.partition(":")
        labels = dict(self.perimeter.territories)
        return dashboard.Choice(
            current=data["periode"],
            comparison=data["comparaison"],
            territory=(level, code) if territory else None,
            territory_label=labels.get(territory, ""),
            breakdown=data.get("ventilation") or "",
            structure=data.get("structure") or "",
        )


def _form(request: HttpRequest) -> DashboardForm:
    """The filters, checked first against the perimeter (403 without a dashboard, 404 outside it)."""
    perimeter = dashboard.perimeter(request.user)
    if perimeter is None:
        raise PermissionDenied("Vous n’avez pas de tableau de bord du pilotage.")
    territory, structure = request.GET.get("territoire"), request.GET.get("structure")
    if territory is not None and not perimeter.allows_territory(territory):
        raise Http404("Territoire hors de votre périmètre.")
    if structure and not perimeter.allows_structure(structure):
        raise Http404("Structure hors de votre périmètre.")
    data = QueryDict(mutable=True)
    data.update(request.GET)
    if "periode" not in data:
        data["periode"] = dashboard.default_span(dt.date.today()).code
    if "territoire" not in data:
        data["territoire"] = perimeter.territories[0][0] if perimeter.territories else ""
    return DashboardForm(data, perimeter=perimeter)


@never_cache
@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    built = dashboard.build(form.perimeter, form.choice()) if form.is_valid() else None
    query_string = ""
    if built is not None:
        params = QueryDict(mutable=True)
        choice = built.choice
        params.update(
            {
                "periode": choice.current.code,
                "comparaison": choice.comparison.code,
                "territoire": ":".join(choice.territory) if choice.territory else "",
                "ventilation": choice.breakdown,
            }
        )
        if choice.structure:
            params["structure"] = choice.structure
        query_string = params.urlencode()
    context = {
        "title": "Tableau de bord du pilotage",
        "form": form,
        "perimeter": form.perimeter,
        "dashboard": built,
        "query": query_string,
        "formats": documents.SPREADSHEET_FORMATS,
        "report_link": reverse("monitoring_report:page") if report.can_read(request.user) else "",
        "small": SMALL,
        "masked": MASKED,
        "threshold": THRESHOLD,
        "state_table": dashboard.STATE_TABLE,
    }
    return render(request, "monitoring/dashboard.html", context, status=200 if built else 400)


@never_cache
@login_required
@require_GET
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """One table of the dashboard, as the page shows it, in CSV, ODS or XLSX."""
    if fmt not in documents.SPREADSHEET_FORMATS:
        raise Http404("Format inconnu.")
    form = _form(request)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    built = dashboard.build(form.perimeter, form.choice())
    found = dashboard.sheet_rows(built, key)
    if found is None:
        raise Http404("Tableau inconnu.")
    title, headers, rows = found
    choice = built.choice
    name = f"{key}-{choice.current.code}-{choice.comparison.code}"
    return documents.spreadsheet_response([Sheet(title[:31], headers, rows)], name, fmt)
