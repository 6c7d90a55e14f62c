"""Public pages of the directory: `/structures` (search form and results by distance) and `/structures/<id>`.

Server-rendered; the map under a list (maps.py, directory/map.js) is only an enhancement. The commune is typed as
a name, a postal code or both (`spro.referentials.geo.resolver`); several communes that fit are offered as links.
The results are those of `spro.directory.search`, the same as the API. What the person looks for is a
« Je cherche de l’aide pour… » choice (`aide=`, `spro.directory.help_choices`, several typologies); the one-typology
`typologie=` parameter of links and of the API still works (docs/design/structures.md).
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from spro.core.api import strip_control_characters
from spro.directory import help_choices, maps, search, vocabularies
from spro.directory.models import Structure
from spro.directory.presenters import page, summary
from spro.referentials.geo.resolver import resolve as resolve_commune

PER_PAGE = 10
RADII = (5, 10, 20, 30, 50, 100)
MAX_PARAM = 200


@require_safe
def structures(request: HttpRequest) -> HttpResponse:
    # « Je cherche de l’aide pour… » (spro.directory.help_choices): the choices whose typologies have active structures.
    present = set(Structure.objects.active().values_list("typologie", flat=True).distinct())
    choices = [c for c in help_choices.CHOICES if present.intersection(c.typologies)]
    commune_text = strip_control_characters(request.GET.get("commune", "")).strip()[:MAX_PARAM]
    aide_value = strip_control_characters(request.GET.get("aide", "")).strip()[:40]
    # The old parameter, kept for links (the answer's « Chercher dans l’annuaire ») and the API: one typology.
    typologie = strip_control_characters(request.GET.get("typologie", "")).strip()[:30]
    aide = help_choices.get(aide_value) if aide_value else None
    context = {
        "title": "Trouver une structure près de chez soi",
        "help_choices": choices,
        "radii": RADII,
        "commune_text": commune_text,
        "aide": aide_value,
        "typologie": typologie,
        "rayon": 30,
        "errors": [],
    }
    rayon = request.GET.get("rayon_km", "").strip()
    if rayon:
        try:
            context["rayon"] = float(rayon.replace(",", "."))
        except ValueError:
            context["errors"].append("Le rayon doit être un nombre de kilomètres, par exemple 20.")
        else:
            if not math.isfinite(context["rayon"]) or not 0 < context["rayon"] <= search.MAX_RADIUS_KM:
                context["errors"].append(
                    f"Le rayon doit être compris entre 1 et {search.MAX_RADIUS_KM:g} km."
                )
    if aide_value and aide is None:
        context["errors"].append("Ce choix n’existe pas : choisissez ce que vous cherchez dans la liste.")
    if typologie and typologie not in vocabularies.typologies():
        context["errors"].append("Ce type de structure n’existe pas : choisissez-en un dans la liste.")
    if aide is not None:
        typologie = ""  # a choice made on the form replaces the one typology of a link
        context["typologie"] = ""
    elif typologie in vocabularies.typologies():
        preselected = help_choices.for_typologie(typologie)
        context["aide"] = preselected.value if preselected else ""
    page_text = request.GET.get("page", "1").strip()
    page = int(page_text) if page_text.isdigit() and 1 <= int(page_text) <= 1000 else None
    if page is None:
        context["errors"].append("Le numéro de page doit être un nombre entier entre 1 et 1 000.")
    if not commune_text:
        status = 400 if context["errors"] else 200
        return render(request, "directory/structures.html", context, status=status)

    # The one commune resolver: name, postal code or both. Several communes that fit are a choice offered as links
    # (200); an unknown commune is said on the form (400, like the other fields).
    resolution = resolve_commune(commune_text)
    context["commune_resolution"] = resolution
    if resolution.ambiguous:
        context["choices"] = [
            {
                "label": ref.description,
                "url": "?"
                + urlencode(
                    {
                        "commune": ref.label,
                        **_filter_params(aide, typologie),
                        "rayon_km": f"{context['rayon']:g}",
                    }
                ),
            }
            for ref in resolution.choices
        ]
    if context["errors"]:
        return render(request, "directory/structures.html", context, status=400)
    commune = resolution.model()
    if commune is None:
        return render(
            request, "directory/structures.html", context, status=200 if resolution.ambiguous else 400
        )
    try:
        results = search.nearest(
            commune=commune,
            rayon_km=context["rayon"],
            typologie=typologie or None,
            typologies=aide.typologies if aide else None,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    except search.SearchError as exc:
        context["errors"].append(exc.detail)
        return render(request, "directory/structures.html", context, status=400)
    pages = max(1, math.ceil(results.total / PER_PAGE))

    def page_url(number: int) -> str:
        return "?" + urlencode(
            {
                "commune": resolution.commune.label,
                **_filter_params(aide, typologie),
                "rayon_km": f"{context['rayon']:g}",
                "page": number,
            }
        )

    context.update(
        commune=commune,
        commune_text=resolution.commune.label,
        results=[summary(hit.structure, hit.distance_km) for hit in results.hits],
        total=results.total,
        first=(page - 1) * PER_PAGE + 1,
        last=(page - 1) * PER_PAGE + len(results.hits),
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if page < pages else None,
        page=page,
        pages=pages,
        typologie_label=vocabularies.typologies().get(typologie),
        aide_label=aide.label if aide else None,
        carte=maps.context(hit.structure for hit in results.hits),
    )
    return render(request, "directory/structures.html", context)


def _filter_params(aide: help_choices.HelpChoice | None, typologie: str) -> dict[str, str]:
    """The filter of the pages' links: the choice made, or the one typology a link gave."""
    if aide is not None:
        return {"aide": aide.value}
    return {"typologie": typologie} if typologie else {}


@require_safe
def structure(request: HttpRequest, structure_id: str) -> HttpResponse:
    found = None
    if len(structure_id) <= 200 and strip_control_characters(structure_id) == structure_id:
        found = Structure.objects.active().select_related("commune").filter(di_id=structure_id).first()
    if found is None:
        raise Http404("structure inconnue")
    s = page(found)
    return render(
        request, "directory/structure.html", {"s": s, "title": s["nom"], "carte": maps.context([found])}
    )
