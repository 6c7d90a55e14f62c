"""The CEP's pages: where an employed person who thinks of changing career finds the CEP operator competent for
their commune (public, no account), and the Region's coordination counts (pilots and network heads; counts only).

Thin views: the operator comes from the first answer's routing (spro.answer.routing.route, rule files of
spro/answer/rules: the `actif-evolution` rule gives the typology CEP and the reason shown), the counts from
spro.accompaniment.stats.
"""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from spro.accompaniment import stats
from spro.accounts import permissions
from spro.answer.routing import route
from spro.answer.types import AnswerError, BesoinScore, Orientation, Profile
from spro.core.disclosure import MASKED, SMALL, THRESHOLD
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import Statut
from spro.referentials.geo.forms import CommuneField

#: The typology of the CEP operators in the directory (spro.directory.vocabularies.SPRO_TYPOLOGIES).
CEP_TYPOLOGIE = "CEP"


class CepCommuneForm(forms.Form):
    commune = CommuneField(label="Votre commune")

    hints = {"commune": "Nom, code postal ou les deux, par exemple : Rennes, 35000 ou Lorient 56100."}

    def clean_commune(self) -> str | None:
        resolution = self.cleaned_data.get("commune")
        self.commune_resolution = resolution
        return resolution.code_insee if resolution is not None and resolution.commune else None


def cep_orientation(commune: str) -> Orientation | None:
    """The CEP orientation of an employed person who wants to change career, living in `commune` (INSEE code): the
    reason written in the rule files and the competent operators (else the nearest ones, with the routing's note).
    None when the rule files send such a person to no CEP (a Region removed the rule)."""
    profile = Profile(statut=Statut.SALARIE.value, commune=commune)
    besoins = [BesoinScore(Besoin.EVOLUTION_PROFESSIONNELLE.value, 1.0)]
    for orientation in route(profile, besoins, []):
        if orientation.typologie == CEP_TYPOLOGIE:
            return orientation
    return None


@require_GET
def cep_operator(request: HttpRequest) -> HttpResponse:
    """/conseil-en-evolution-professionnelle?commune=…: the CEP operator competent for the commune, with the reason."""
    form = CepCommuneForm(request.GET or None)
    context: dict[str, Any] = {"title": "Changer de métier quand on travaille", "form": form}
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["commune"]:
            try:
                context["orientation"] = cep_orientation(form.cleaned_data["commune"])
            except AnswerError as error:
                form.add_error("commune", error.detail)
                status = 400
            else:
                resolution = form.commune_resolution
                context["commune"] = resolution.commune if resolution is not None else None
                context["searched"] = True
        else:
            status = 400
    return render(request, "accompaniment/cep/operateur.html", context, status=status)


# --- The Region's coordination counts -------------------------------------------------------------------------


class PeriodForm(forms.Form):
    debut = forms.DateField(
        label="Du (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date de début invalide : écrivez-la jj/mm/aaaa ou aaaa-mm-jj."},
    )
    fin = forms.DateField(
        label="Au (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date de fin invalide : écrivez-la jj/mm/aaaa ou aaaa-mm-jj."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("debut") and data.get("fin") and data["debut"] > data["fin"]:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return data


def _coordination(request: HttpRequest) -> tuple[PeriodForm, stats.CoordinationTable | None]:
    if not permissions.has_territorial_role(request.user):
        raise PermissionDenied("Ces comptes sont réservés aux pilotes et aux têtes de réseau.")
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    table = stats.coordination(
        permissions.statistics_structures(request.user), data.get("debut"), data.get("fin")
    )
    return form, table


@never_cache
@login_required
@require_GET
def coordination(request: HttpRequest) -> HttpResponse:
    """/pro/cep/coordination: counts per CEP operator and per département, small counts hidden; no row."""
    form, table = _coordination(request)
    context = {
        "title": "Conseil en évolution professionnelle : comptes de coordination",
        "form": form,
        "table": table,
        "columns": [(code, stats.COLUMN_LABELS[code]) for code in stats.COLUMNS],
        "small": SMALL,
        "masked": MASKED,
        "threshold": THRESHOLD,
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "accompaniment/cep/coordination.html", context, status=200 if table else 400)


@never_cache
@login_required
@require_GET
def coordination_csv(request: HttpRequest) -> HttpResponse:
    """The same table as CSV (UTF-8 with BOM, « ; » separated, as spreadsheets in French expect)."""
    form, table = _coordination(request)
    if table is None:
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cep-coordination.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows(stats.csv_rows(table))
    return response
