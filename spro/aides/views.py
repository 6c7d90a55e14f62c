"""`/aides`: anyone fills in their situation (GET form, no account, nothing stored) and reads the schemes and aids
that may concern them, with the condition that matched and how to get each."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spro.aides.catalogue import DispositifError, load
from spro.aides.forms import AidesForm
from spro.aides.service import aides_for, situation
from spro.directory.vocabularies import typologies

logger = logging.getLogger(__name__)
FIELDS = ("age", "statut", "niveau", "handicap", "commune")


def aides(request: HttpRequest) -> HttpResponse:
    submitted = any(name in request.GET for name in FIELDS)
    form = AidesForm(request.GET if submitted else None)
    context: dict = {"title": "Les aides qui peuvent vous concerner", "form": form, "submitted": submitted}
    # « Facile à lire » (docs/design/answer.md): one flag in the address, kept by the form.
    facile = request.GET.get("facile") == "1"
    query = [(k, v) for k in request.GET if k in FIELDS for v in request.GET.getlist(k)]
    context["facile"] = facile
    toggled = urlencode([*query, *([] if facile else [("facile", "1")])])
    context["facile_url"] = request.path + (f"?{toggled}" if toggled else "")
    status = 200
    try:
        catalogue = load()
    except DispositifError:
        logger.exception("Catalogue des aides invalide")
        context["indisponible"] = True
        return render(request, "aides/aides.html", context, status=503)
    context["total"] = len(catalogue.dispositifs)
    if submitted and form.is_valid():
        data = form.cleaned_data
        results = aides_for(
            situation(
                age=data.get("age"),
                statut=data.get("statut"),
                handicap=data.get("handicap"),
                niveau=data.get("niveau"),
                commune=data.get("commune"),
            ),
            catalogue,
        )
        labels = typologies()
        context["oui"] = [
            (r, [labels.get(s, s) for s in r.dispositif.structures])
            for r in results
            if r.eligibilite == "oui"
        ]
        context["peut_etre"] = [
            (r, [labels.get(s, s) for s in r.dispositif.structures])
            for r in results
            if r.eligibilite != "oui"
        ]
        context["commune_resolution"] = getattr(form, "commune_resolution", None)
    elif submitted:
        status = 400
    return render(request, "aides/aides.html", context, status=status)
