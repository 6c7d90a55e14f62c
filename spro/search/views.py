"""Public information pages: search results, fiches (métier, formation, certification), browsing, territoires.

Pages are server-rendered and work without JavaScript; they render the dicts of `spro.search.details`, the
same the public API returns. Unknown or retired codes answer the site's 404 page.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from spro.core.ratelimit import rate_limited
from spro.core.vocabularies import document_types
from spro.referentials.geo.models import Region
from spro.referentials.geo.resolver import CommuneResolution
from spro.referentials.geo.resolver import resolve as resolve_commune
from spro.referentials.rome.models import CentreInteret, DomaineProfessionnel, FicheMetier, GrandDomaine
from spro.search import cards, details, pro_codes, service
from spro.search.interests import interest_page
from spro.search.params import DEFAULT_PAR_PAGE, MAX_PAGE, PAGE_MESSAGE, RAYON_MESSAGE, InvalidQuery
from spro.search.questions import looks_like_question

#: GET parameters of /recherche passed to `service.search` (same names as the API).
SEARCH_PARAMS = ("type", "niveau", "modalite", "commune", "departement", "region", "public", "domaine")
FACET_LABELS = {
    "type": "Type de résultat",
    "niveau": "Niveau",
    "modalite": "Modalité",
    "public": "Public",
    "domaine": "Domaine",
    "departement": "Département",
    "region": "Région",
}
#: the first choice of each filter: no filter (for the région: the whole of France)
FACET_ALL = {
    "type": "Tous les résultats",
    "niveau": "Tous les niveaux",
    "modalite": "Toutes les modalités",
    "public": "Tous les publics",
    "domaine": "Tous les domaines",
    "departement": "Tous les départements",
    "region": "Toute la France",
}
#: long lists (18 régions, 30 départements, 14 domaines): the most frequent first, the rest folded
FOLD_AFTER = 5
FOLD_LABELS = {"region": "Autres régions", "departement": "Autres départements", "domaine": "Autres domaines"}
TYPE_LABELS = document_types.LABELS  # one result's type: « Métier »
MAX_QUERY_PARAM = 500
PER_PAGE = DEFAULT_PAR_PAGE


class BadParameter(ValueError):
    pass


def _search_kwargs(request: HttpRequest) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name in SEARCH_PARAMS:
        value = request.GET.get(name, "").strip()[:MAX_QUERY_PARAM]
        if value:
            kwargs[name] = value
    rayon = request.GET.get("rayon_km", "").strip()
    # Read here (« 2,5 » is a number in French); its limits are the search's (spro/search/params.py).
    if rayon:
        try:
            kwargs["rayon_km"] = float(rayon.replace(",", "."))
        except ValueError:
            raise BadParameter(RAYON_MESSAGE) from None
    tri = request.GET.get("tri", "").strip()
    if tri:
        kwargs["tri"] = tri[:50]
    page = request.GET.get("page", "1").strip()
    if not page.isdigit() or len(page) > 6:  # its range: the search's (MAX_PAGE)
        raise BadParameter(PAGE_MESSAGE)
    kwargs["page"] = int(page)
    kwargs["par_page"] = PER_PAGE
    return kwargs


def _url(params: dict[str, Any]) -> str:
    """A /recherche address; an empty `region` is kept when a Region is configured (« Toute la France »)."""
    keep = ("region",) if settings.SPRO_REGION_CODE else ()
    clean = {
        key: value
        for key, value in params.items()
        if value not in (None, "") or (key in keep and value == "")
    }
    return "/recherche?" + urlencode(clean)


def _territory(request: HttpRequest, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """The Region's territory by default (settings.SPRO_REGION_CODE), when the person chose none: no région, no
    département, no commune. `region=` (empty) is the person's « Toute la France ». None: no Region configured."""
    code = settings.SPRO_REGION_CODE
    if not code:
        return None
    region = Region.objects.filter(code=code).values_list("nom", flat=True).first() or code
    chosen = "region" in request.GET or "departement" in kwargs or request.GET.get("commune", "").strip()
    if not chosen:
        kwargs["region_par_defaut"] = code
    return {"code": code, "nom": region, "default": not chosen, "france": request.GET.get("region") == ""}


def _bad_request(request: HttpRequest, q: str, message: str) -> HttpResponse:
    context = {"title": "Recherche impossible", "q": q, "message": message}
    return render(request, "search/bad_request.html", context, status=400)


def _question_url(q: str) -> str | None:
    """« Poser votre question » with the text carried over, when the text reads as a sentence (never stored)."""
    if not looks_like_question(q):
        return None
    return "/question?" + urlencode({"texte": q.strip()[:MAX_QUERY_PARAM]})


def _without_distance(q: str, kwargs: dict[str, Any], response: Any) -> dict | None:
    """Nothing within the radius: how many results without it, and the link (the page says so, never hides it)."""
    if response.total or "commune" not in kwargs:
        return None
    wider = {k: v for k, v in kwargs.items() if k not in ("commune", "rayon_km", "tri")}
    total = service.search(q, **{**wider, "par_page": 1}).total
    if not total:
        return None
    return {
        "total": total,
        "url": _url({"q": q, **{k: v for k, v in wider.items() if k not in ("page", "par_page")}}),
    }


def _resolve_commune(q: str, kwargs: dict[str, Any], context: dict[str, Any]) -> CommuneResolution | None:
    """The commune as typed (name, postal code or both) read by the one resolver; the service gets its INSEE code.

    An unknown or ambiguous commune never makes an error page: the search runs without the distance and the page
    says so, offering the communes that fit as links.
    """
    text = kwargs.pop("commune", None)
    if not text:
        return None
    resolution = resolve_commune(text)
    context["commune"] = resolution
    context["commune_change_url"] = "#filtre-commune"
    if resolution.commune is not None:
        kwargs["commune"] = resolution.commune.code_insee
        return resolution
    distance = {k: kwargs.pop(k) for k in ("rayon_km", "tri") if k in kwargs}
    base = {"q": q, **{k: v for k, v in kwargs.items() if k not in ("page", "par_page")}, **distance}
    context["commune_choices"] = [
        {"label": ref.description, "url": _url({**base, "commune": ref.label})} for ref in resolution.choices
    ]
    return resolution


def _facets(
    facettes: dict[str, list[tuple[str, str, int]]], current: dict[str, Any], territory: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each filter as one group of radio buttons (the search takes one value per parameter: params.py), with its
    counts, the most frequent first; beyond FOLD_AFTER the rest is folded, the chosen value always shown."""
    facets = []
    for name, values in facettes.items():
        chosen = str(current.get(name) or "")
        options = [
            {"value": value, "label": label, "count": count, "selected": chosen == str(value)}
            for value, label, count in values
        ]
        if not options:
            continue
        shown, folded = options, []
        if len(options) > FOLD_AFTER + 2:
            shown, folded = options[:FOLD_AFTER], options[FOLD_AFTER:]
            shown += [o for o in folded if o["selected"]]
            folded = [o for o in folded if not o["selected"]]
        # « Toute la France » is not checked while the Region's territory applies by default: submitting the
        # form then keeps the default (no `region` sent) instead of widening the search.
        all_selected = not chosen and not (
            name == "region" and territory is not None and territory["default"]
        )
        facets.append(
            {
                "name": name,
                "label": FACET_LABELS.get(name, name.capitalize()),
                "all_label": FACET_ALL.get(name, "Tous"),
                "all_selected": all_selected,
                "options": shown,
                "folded": folded,
                "fold_label": FOLD_LABELS.get(name, "Autres choix"),
            }
        )
    return facets


@require_safe
@rate_limited("SPRO_SEARCH_RATE_LIMIT", "120/minute", scope="recherche")
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    if len(q) > MAX_QUERY_PARAM * 20:
        q = q[: MAX_QUERY_PARAM * 20]
    try:
        kwargs = _search_kwargs(request)
    except BadParameter as error:
        return _bad_request(request, q, str(error))
    context: dict[str, Any] = {"title": "Rechercher", "q": q, "response": None}
    context["question_url"] = _question_url(q)
    commune = _resolve_commune(q, kwargs, context)
    territory = _territory(request, kwargs)
    context["territory"] = territory
    if not q.strip() and not any(name in kwargs for name in SEARCH_PARAMS):  # filters alone browse
        return render(request, "search/search.html", context)
    try:
        response = service.search(q, **kwargs)
        context["sans_distance"] = _without_distance(q, kwargs, response)
    except InvalidQuery as error:
        return _bad_request(request, q, getattr(error, "detail", str(error)))
    current = {
        "q": q,
        **{k: v for k, v in kwargs.items() if k not in ("page", "par_page", "region_par_defaut")},
    }
    if territory is not None and territory["france"]:
        current["region"] = ""  # kept in every link: the person chose the whole of France
    if commune is not None and commune.commune is not None:
        current["commune"] = commune.commune.label  # links carry the name, never a code read as a postal code
    facets = _facets(response.facettes or {}, current, territory)
    active_filters = [
        {
            "name": name,
            "label": FACET_LABELS.get(name, name),
            "value": current[name],
            "remove_url": _url({**current, name: ""}),
        }
        for name in (*SEARCH_PARAMS, "rayon_km")
        if current.get(name)
    ]
    pages = max(1, math.ceil(response.total / response.par_page)) if response.par_page else 1
    pages = min(pages, MAX_PAGE)  # no link to a page the search refuses
    page = response.page
    pagination = {
        "page": page,
        "pages": pages,
        "previous": _url({**current, "page": page - 1}) if page > 1 else None,
        "next": _url({**current, "page": page + 1}) if page < pages else None,
        "numbers": [
            {"number": n, "url": _url({**current, "page": n}), "current": n == page}
            for n in range(max(1, page - 2), min(pages, page + 2) + 1)
        ],
    }
    first = (page - 1) * response.par_page + 1
    if territory is not None:
        # the form carries « Toute la France » even when no région filter is shown
        territory["keep_france"] = territory["france"] and not any(f["name"] == "region" for f in facets)
        territory["france_url"] = _url({**current, "region": "", "page": None})
        territory["region_url"] = _url({k: v for k, v in current.items() if k != "region"})
    context.update(
        {
            "title": f"Résultats pour « {q.strip()[:80]} »",
            "response": response,
            "results": cards.result_cards(response.resultats),
            "facets": facets,
            "active_filters": active_filters,
            "pagination": pagination,
            "first": first,
            "last": first + len(response.resultats) - 1,
            "suggestion_url": _url({**current, "q": response.suggestion}) if response.suggestion else None,
        }
    )
    return render(request, "search/search.html", context)


@require_safe
def metier(request: HttpRequest, code_rome: str) -> HttpResponse:
    text = request.GET.get("commune", "").strip()[:MAX_QUERY_PARAM]
    commune = resolve_commune(text) if text else None
    code = commune.commune.code_insee if commune is not None and commune.commune is not None else None
    detail = details.metier_detail(code_rome, commune=code)
    if detail is None:
        raise Http404(code_rome)
    choices = [
        {"label": ref.description, "url": f"?{urlencode({'commune': ref.label})}#emploi"}
        for ref in (commune.choices if commune is not None else ())
    ]
    context = {
        "title": detail["libelle"],
        "m": detail,
        "commune": commune,
        "commune_choices": choices,
        "pro_codes": pro_codes.metier_codes(detail),
    }
    return render(request, "search/metier.html", context)


@require_safe
def formation(request: HttpRequest, formation_id: str) -> HttpResponse:
    detail = details.formation_detail(formation_id)
    if detail is None:
        raise Http404(formation_id)
    champs, codes = pro_codes.split_formation_fields(detail)
    context = {"title": detail["titre"], "f": detail, "champs": champs, "pro_codes": codes}
    return render(request, "search/formation.html", context)


@require_safe
def certification(request: HttpRequest, certification_id: str) -> HttpResponse:
    detail = details.certification_detail(certification_id)
    if detail is None:
        raise Http404(certification_id)
    context = {"title": detail["libelle"], "c": detail, "pro_codes": pro_codes.certification_codes(detail)}
    return render(request, "search/certification.html", context)


def _fiches(queryset: Any) -> list[dict[str, Any]]:
    return [
        {"code_rome": code, **details.metier_titles(label), "url": details.metier_url(code)}
        for code, label in queryset.filter(is_active=True)
        .order_by("libelle")
        .values_list("code_rome", "libelle")
    ]


@require_safe
def domaines(request: HttpRequest) -> HttpResponse:
    grands = GrandDomaine.objects.filter(is_active=True).order_by("code")
    domaines_by_gd: dict[str, list[DomaineProfessionnel]] = {}
    for domaine in DomaineProfessionnel.objects.filter(is_active=True).order_by("code"):
        domaines_by_gd.setdefault(domaine.grand_domaine_id, []).append(domaine)
    items = [{"grand": gd, "domaines": domaines_by_gd.get(gd.code, [])} for gd in grands]
    return render(request, "search/domaines.html", {"title": "Les métiers par domaine", "items": items})


@require_safe
def domaine(request: HttpRequest, code: str) -> HttpResponse:
    grand = GrandDomaine.objects.filter(code=code, is_active=True).first()
    if grand is not None:
        sections = [
            {"domaine": d, "fiches": _fiches(FicheMetier.objects.filter(domaine_professionnel=d))}
            for d in grand.domaines.filter(is_active=True).order_by("code")
        ]
        context = {"title": grand.libelle, "grand": grand, "domaine": None, "sections": sections}
        return render(request, "search/domaine.html", context)
    found = (
        DomaineProfessionnel.objects.filter(code=code, is_active=True).select_related("grand_domaine").first()
    )
    if found is None:
        raise Http404(code)
    sections = [
        {"domaine": found, "fiches": _fiches(FicheMetier.objects.filter(domaine_professionnel=found))}
    ]
    context = {"title": found.libelle, "grand": found.grand_domaine, "domaine": found, "sections": sections}
    return render(request, "search/domaine.html", context)


@require_safe
def centres_interet(request: HttpRequest) -> HttpResponse:
    centres = CentreInteret.objects.filter(is_active=True).order_by("libelle")
    return render(
        request,
        "search/centres_interet.html",
        {"title": "Les métiers par centre d’intérêt", "centres": centres},
    )


@require_safe
def centre_interet(request: HttpRequest, code: str) -> HttpResponse:
    centre = CentreInteret.objects.filter(code=code, is_active=True).first()
    if centre is None:
        raise Http404(code)
    context = {"title": centre.libelle, "centre": centre, **interest_page(centre)}
    return render(request, "search/centre_interet.html", context)


@require_safe
def region(request: HttpRequest, code: str) -> HttpResponse:
    detail = details.region_detail(code)
    if detail is None:
        raise Http404(code)
    return render(request, "search/territoire.html", {"title": detail["nom"], "t": detail, "kind": "region"})


@require_safe
def departement(request: HttpRequest, code: str) -> HttpResponse:
    detail = details.departement_detail(code)
    if detail is None:
        raise Http404(code)
    return render(
        request, "search/territoire.html", {"title": detail["nom"], "t": detail, "kind": "departement"}
    )
