"""The "Poser une question" pages: the form, the answer, the downloadable summary, and the pilots' statistics.

Thin callers: `service.answer()` does the work, `stats` counts. The free text travels only in the POST body of the
form; it is never put in a URL, a cookie, the summary or a log. Answers are `never_cache` (they describe a person).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from spro.answer import presentation, stats
from spro.answer.aides import aides_of
from spro.answer.forms import QuestionForm
from spro.answer.service import answer as build_answer
from spro.answer.types import Answer, AnswerError
from spro.core.codes import INSEE_COMMUNE
from spro.core.params import date_param
from spro.core.ratelimit import rate_limited
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import Statut
from spro.events.public import answer_context as events_near
from spro.referentials.geo.resolver import get_index, resolve
from spro.search.links import formations_url

logger = logging.getLogger(__name__)

#: Service error codes shown next to the field they concern (others go to the top of the form).
ERROR_FIELDS = {
    "texte-invalide": "text",
    "texte-vide": "text",
    "texte-trop-long": "text",
    "age-invalide": "age",
    "statut-invalide": "statut",
    "commune-inconnue": "commune",
    "commune-ambigue": "commune",
    "handicap-invalide": "handicap",
}
#: Session key of what the sent form knew and the answer's address does not carry, shown once (no text in it).
FLASH = "spro_reponse_envoyee"
#: The GET parameter of the « Facile à lire » version (docs/design/answer.md): `facile=1`, nothing else.
FACILE = "facile"
#: The answer shows at most three next steps (the first ones, best first): more repeat each other.
MAX_STEPS = 3
RESSOURCE_KINDS = {
    "metier": "Métiers",
    "formation": "Formations",
    "financement": "Financer votre projet",
    "droit": "Vos droits",
    "information": "S’informer",
}


@never_cache
@sensitive_post_parameters("text")  # error reports never show the text
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("SPRO_QUESTION_RATE_LIMIT", "60/minute", scope="question", methods=["POST"])
def question(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the answer page (the same URL, so the text never appears in an address)."""
    if request.method != "POST":
        initial = {
            "text": request.GET.get("texte", "")[:2000]
        }  # carried over from the search box, not stored
        context = {"form": QuestionForm(initial=initial).describe_fields(), "title": "Poser une question"}
        return render(request, "answer/question.html", context)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            result = build_answer(form.cleaned_data["text"], form.profile())
        except AnswerError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.detail)
        else:
            stats.record(result, "page")
            # The answer lives at its own GET address (codes only, never the text): Back and reopening work.
            weak = presentation.weak_metiers(result.analysis.metiers)
            url = presentation.answer_url(presentation.answer_query(result, weak_metiers=weak))
            reprise = form.commune_reprise(result.analysis.profile)
            typed = reprise["typed"]
            request.session[FLASH] = {
                "url": url,
                "avertissements": list(result.analysis.warnings),
                "compris": understood(result),
                "commune_lue": reprise["from_text"],
                "commune_tapee": typed.query
                if typed is not None and typed.kind not in ("name", "insee")
                else "",
            }
            return HttpResponseRedirect(url, status=303)
    context = {"form": form.describe_fields(), "title": "Poser une question"}
    # A commune that fits several is a choice offered on the form, not an error (the status says so too).
    return render(
        request, "answer/question.html", context, status=200 if form.only_commune_to_choose() else 400
    )


@never_cache
@require_safe
def reponse(request: HttpRequest) -> HttpResponse:
    """The answer at its address (`presentation.answer_query`): rendered again from its codes. What only the sent
    form knew (the warnings, what the text said, how the commune was typed) is shown once, right after sending."""
    typed = request.GET.get("commune", "").strip()
    commune_error = ""
    if typed and not INSEE_COMMUNE.match(typed):
        # The commune field of the answer: a name or a postal code, read by the one resolver, then the answer's
        # address with its INSEE code (nothing else changes).
        resolution = resolve(typed)
        if resolution.commune is not None:
            query = [(k, v) for k in request.GET if k != "commune" for v in request.GET.getlist(k)]
            url = presentation.answer_url([*query, ("commune", resolution.commune.code_insee)])
            if resolution.kind not in ("name", "insee"):
                request.session[FLASH] = {"url": url, "commune_tapee": resolution.query}
            return HttpResponseRedirect(url, status=303)
        commune_error = resolution.message
    result = presentation.rebuild(request.GET)
    if not result.analysis.besoins:
        return redirect("answer:question")
    weak = request.GET.get("metiers") == presentation.WEAK_FLAG
    flash = request.session.pop(FLASH, None) if FLASH in request.session else None
    if flash and flash.get("url") != request.get_full_path():
        flash = None
    flash = flash or {}
    context = present(result)
    if "compris" in flash:
        context["avertissements"] = flash["avertissements"]
        context["compris"] = flash["compris"]
    elif result.analysis.profile.age is not None:
        context["compris"] = [f"vous avez {result.analysis.profile.age} ans"]
    facile = request.GET.get(FACILE) == "1"
    context["facile"] = facile
    context["facile_url"] = _facile_url(presentation.answer_query(result, weak_metiers=weak), not facile)
    context["commune_reprise"] = {
        "commune": get_index().by_code.get(result.analysis.profile.commune or ""),
        "from_text": bool(flash.get("commune_lue")),
        "tapee": flash.get("commune_tapee", ""),
        "saisie": typed if commune_error else "",
        "erreur": commune_error,
        "hidden": [(k, v) for k, v in presentation.answer_query(result, weak_metiers=weak) if k != "commune"]
        + ([(FACILE, "1")] if facile else []),
    }
    if weak:  # « Des métiers à découvrir » would guess: offer the interest questionnaire instead
        context["metiers"] = []
    undecided = not result.analysis.metiers and any(
        b.code == Besoin.DECOUVRIR_METIERS for b in result.analysis.besoins
    )
    if weak or undecided:  # the person does not know what to do: the questionnaire starts from what they like
        context["interets_url"] = _url("explorer:questionnaire")
    context["aides"] = aides_of(result)
    context.update(events_near(result.analysis.profile.commune))  # « Prochains événements près de chez vous »
    context["reponse_url"] = request.get_full_path()
    return render(request, "answer/answer.html", context)


def _facile_url(query: list[tuple[str, str]], on: bool) -> str:
    """The answer's address (its codes, as `answer_query` writes them) with the « Facile à lire » version on or
    off: a link, so the toggle works without JavaScript, keeps Back and a bookmark, and adds one flag (never a
    text) to the address of codes."""
    return presentation.answer_url([*query, *([(FACILE, "1")] if on else [])])


def understood(result: Answer) -> list[str]:
    """What the text told us of the person (« vous avez 17 ans »), said back to them."""
    profile = result.analysis.profile
    said = []
    if "age" in profile.from_text and profile.age is not None:
        said.append(f"vous avez {profile.age} ans")
    if "statut" in profile.from_text and profile.statut:
        said.append(dict(Statut.choices).get(profile.statut, profile.statut).lower())
    if "handicap" in profile.from_text and profile.handicap:
        said.append("vous êtes en situation de handicap")
    if "a_quitte_formation" in profile.from_text and profile.a_quitte_formation:
        said.append("vous avez quitté l’école ou vos études")
    return said


def _typology_labels() -> dict[str, str]:
    from spro.directory import vocabularies

    return vocabularies.typologies()


def _contact_url(structure_id: str) -> str:
    try:
        return reverse("referrals:etre-contacte", args=[structure_id])
    except NoReverseMatch:
        return ""


def present(result: Answer) -> dict[str, Any]:
    """What the answer page shows, in plain words (the template only lays it out)."""
    analysis = result.analysis
    # One home (presentation.content): the needs and the structure cards are those the summary will print.
    fields = presentation.fields_of(result)
    shown = presentation.content(fields)
    besoins = shown["besoins"]
    cards = {o["typologie"]: o for o in shown["orientations"]}
    orientations = []
    for orientation in result.orientations:
        hits = {s.id: s for s in orientation.structures}
        card = cards.get(orientation.typologie, {"libelle": orientation.typologie, "structures": []})
        orientations.append(
            {
                "typologie": orientation.typologie,
                "libelle": card["libelle"],
                "raison": orientation.raison,
                "raison_facile": orientation.raison_facile or orientation.raison,
                "structures": [
                    {
                        **s,
                        "distance_km": hits[s["id"]].distance_km if s["id"] in hits else None,
                        "contact_url": _contact_url(s["id"]),
                    }
                    for s in card["structures"]
                ],
            }
        )
    recommandee = _recommended(orientations)
    metiers = [
        {
            "code_rome": m.code_rome,
            "libelle": m.libelle,
            "appellation": m.appellation,
            "url": _metier_url(m.code_rome),
            "absolute_url": presentation.absolute(_metier_url(m.code_rome)),
        }
        for m in analysis.metiers
    ]
    groups: dict[str, list[Any]] = {}
    for ressource in result.ressources:
        kind = ressource.kind if ressource.kind in RESSOURCE_KINDS else "information"
        if kind == "metier" and analysis.metiers:
            continue  # the "métiers à découvrir" card already links every fiche matched
        groups.setdefault(kind, []).append(
            {**vars(ressource), "absolute_url": presentation.absolute(ressource.url)}
        )
    ressources = [(kind, RESSOURCE_KINDS[kind], groups[kind]) for kind in RESSOURCE_KINDS if kind in groups]
    profile = analysis.profile
    formation_query = metiers[0]["appellation"] if metiers else ""
    return {
        "title": "Votre première réponse",
        "answer": result,
        "avertissements": analysis.warnings,
        "besoins": besoins,
        "compris": understood(result),
        "metiers": metiers,
        "etapes": result.etapes[:MAX_STEPS],
        "orientations": orientations,
        "recommandee": recommandee,
        "autres_lieux": sum(len(o["structures"]) for o in orientations) - (1 if recommandee else 0),
        "ressources": ressources,
        "formations_card": "formation" not in groups,
        "formations_url": formations_url(formation_query, profile.commune),  # near the person, when known
        "summary_fields": fields.hidden_inputs(),
        "site_url": presentation.absolute("/").rstrip("/"),  # print shows absolute links (answer.css)
        "carte": _map(result),
    }


def _recommended(orientations: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one place shown first: the first structure of the best orientation that has one, open (a temporarily
    closed one gives way to the next); it is marked so that « Autres lieux » does not list it again."""
    for orientation in orientations:
        for structure in orientation["structures"]:
            if not structure.get("ferme_temporairement"):
                structure["recommandee"] = True
                return {
                    **structure,
                    "typologie": orientation["typologie"],
                    "libelle": orientation["libelle"],
                    "raison": orientation["raison"],
                    "raison_facile": orientation["raison_facile"],
                }
    return None


def _map(result: Answer) -> dict[str, Any]:
    """The map of the structures of the cards (directory/_map.html), in the cards' order."""
    from spro.directory import maps

    return maps.context(ids=[s.id for o in result.orientations for s in o.structures])


def _metier_url(code: str) -> str:
    try:
        return reverse("metier", args=[code])
    except NoReverseMatch:
        return ""


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _quote(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


@never_cache
@require_POST
def summary(request: HttpRequest) -> HttpResponse:
    """ "Télécharger le résumé": a plain-text attachment rebuilt from codes and ids (looked up again, so that only
    known labels are written), without the person's text, age or commune."""
    # The same content as the page (presentation.content), rebuilt from the posted codes and ids.
    shown = presentation.content(presentation.fields_from_post(request.POST))
    text = presentation.summary_text(shown, today=dt.date.today())
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="premiere-reponse.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Pilots' statistics -----------------------------------------------------------------------------------------------
@login_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts of the answers given, over the départements of the user's territorial scope."""
    from spro.accounts.views import forbidden

    departements = stats.departements_for(request.user)
    if departements == []:
        return forbidden(request, "Ces statistiques sont réservées aux pilotes de la Région et de l’État.")
    errors: list[str] = []
    start = date_param(request, "du", errors, "Début de période")
    end = date_param(request, "au", errors, "Fin de période")
    counts = stats.summary(start, end, departements)
    context = {
        "title": "Statistiques des réponses en ligne",
        "counts": counts,
        "start": start,
        "end": end,
        "errors": errors,
        "perimetre": "toute la France" if departements is None else ", ".join(departements),
        "tables": [
            ("besoins", "Besoins repérés", counts["besoins"]),
            ("typologies", "Types de structures proposés", counts["typologies"]),
            ("ages", "Tranches d’âge", counts["tranches_age"]),
            ("statuts", "Statuts", counts["statuts"]),
            ("canaux", "Canaux", counts["canaux"]),
        ],
    }
    return render(request, "answer/statistics.html", context, status=400 if errors else 200)
