"""The public page « Parcours de métiers » (`/metiers/{code_rome}/parcours`): GET only, no JavaScript needed.

It renders `spro.search.parcours.parcours_detail`, the same dict as `GET /api/v1/metiers/{code_rome}/mobilites`.
A page is read by people, not programs: a `pas` other than 1 or 2 falls back to 2 and an unknown contexte code is
left out (the API answers 400 for both).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from spro.referentials.geo.resolver import resolve as resolve_commune
from spro.referentials.rome.models import ContexteTravail
from spro.search.parcours import parcours_detail

MAX_PARAM = 200
MAX_CONTEXTES = 20
#: Items to acquire shown before the « Voir les … autres » fold.
SHOWN_ITEMS = 5


def _split(cible: dict) -> dict:
    items = cible["competences_a_acquerir"]
    return {**cible, "premiers": items[:SHOWN_ITEMS], "autres": items[SHOWN_ITEMS:]}


@require_safe
def parcours(request: HttpRequest, code_rome: str) -> HttpResponse:
    pas = 1 if request.GET.get("pas") == "1" else 2
    wanted = {
        c.strip()[:MAX_PARAM] for c in request.GET.getlist("sans_contexte")[:MAX_CONTEXTES] if c.strip()
    }
    known = tuple(
        ContexteTravail.objects.filter(code_ogr__in=wanted, is_active=True).values_list("code_ogr", flat=True)
    )
    text = request.GET.get("commune", "").strip()[:MAX_PARAM]
    commune = resolve_commune(text, insee_first=True) if text else None
    place = commune.model() if commune is not None and commune.commune is not None else None
    detail = parcours_detail(code_rome, pas=pas, sans_contextes=known, commune=place)
    if detail is None:
        raise Http404(code_rome)
    exclus = {c["code"] for c in detail["sans_contexte"]}
    filtres = detail["contextes_filtrables"] + [
        c
        for c in detail["sans_contexte"]
        if c["code"] not in {f["code"] for f in detail["contextes_filtrables"]}
    ]
    base = [("pas", str(pas)), *(("sans_contexte", code) for code in sorted(exclus))]
    choices = [
        {"label": ref.description, "url": f"?{urlencode([*base, ('commune', ref.label)])}#formations-commune"}
        for ref in (commune.choices if commune is not None else ())
    ]
    context = {
        "title": f"Parcours depuis le métier {detail['metier']['libelle']}",
        "p": detail,
        "un_pas": [_split(c) for c in detail["un_pas"]],
        "deux_pas": [_split(c) for c in detail["deux_pas"]],
        "filtres": [{**f, "coche": f["code"] in exclus} for f in filtres],
        "commune": commune,
        "commune_choices": choices,
    }
    return render(request, "search/parcours.html", context)
