"""The CEP's pages: where an employed person who thinks of changing career finds the CEP operator competent for
their commune (public, no account), and the Region's coordination counts (pilots and network heads; counts only).

Thin views: the operator comes from the first answer's routing (spro.answer.routing.route, rule files of
spro/answer/rules: the `actif-evolution` rule gives the typology CEP and the reason shown), the counts from
spro.accompaniment.stats.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from spro.answer.routing import route
from spro.answer.types import AnswerError, BesoinScore, Orientation, Profile
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
                context["commune"] = form.commune_resolution.commune
                context["searched"] = True
        else:
            status = 400
    return render(request, "accompaniment/cep/operateur.html", context, status=status)
