"""The "Poser une question" pages: the form, the answer, the downloadable summary, and the pilots' statistics.

Thin callers: `service.answer()` does the work, `stats` counts. The free text travels only in the POST body of the
form; it is never put in a URL, a cookie, the summary or a log. Answers are `never_cache` (they describe a person).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from spro.contacts.vocabularies import Statut
from spro.core.params import date_param
from spro.core.vocabularies import BESOIN_PUBLIC_LABELS, Besoin

from . import stats
from .forms import QuestionForm
from .service import answer as build_answer
from .types import Answer, AnswerError

logger = logging.getLogger(__name__)

#: Service error codes shown next to the field they concern (others go to the top of the form).
ERROR_FIELDS = {
    "texte-invalide": "text",
    "texte-vide": "text",
    "texte-trop-long": "text",
    "age-invalide": "age",
    "statut-invalide": "statut",
    "commune-inconnue": "commune",
    "handicap-invalide": "handicap",
}
RESSOURCE_KINDS = {
    "metier": "Métiers",
    "formation": "Formations",
    "financement": "Financer votre projet",
    "droit": "Vos droits",
    "information": "S’informer",
}
MAX_SUMMARY_ITEMS = 20
MAX_SUMMARY_TEXT = 500


@never_cache
@sensitive_post_parameters("text")  # error reports never show the text
@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the answer page (the same URL, so the text never appears in an address)."""
    if request.method != "POST":
        context = {"form": QuestionForm().describe_fields(), "title": "Poser une question"}
        return render(request, "answer/question.html", context)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            result = build_answer(form.cleaned_data["text"], form.profile())
        except AnswerError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.detail)
        else:
            stats.record(result, "page")
            return render(request, "answer/answer.html", present(result))
    context = {"form": form.describe_fields(), "title": "Poser une question"}
    return render(request, "answer/question.html", context, status=400)


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
    labels = _typology_labels()
    besoins = [
        {"code": b.code, "libelle": BESOIN_PUBLIC_LABELS.get(b.code, b.code), "score": b.score}
        for b in analysis.besoins
    ]
    orientations = []
    for orientation in result.orientations:
        orientations.append(
            {
                "typologie": orientation.typologie,
                "libelle": labels.get(orientation.typologie, orientation.typologie),
                "raison": orientation.raison,
                "structures": [
                    {**s.as_dict(), "contact_url": _contact_url(s.id)} for s in orientation.structures
                ],
            }
        )
    metiers = [
        {
            "code_rome": m.code_rome,
            "libelle": m.libelle,
            "appellation": m.appellation,
            "url": _metier_url(m.code_rome),
        }
        for m in analysis.metiers
    ]
    groups: dict[str, list[Any]] = {}
    for ressource in result.ressources:
        kind = ressource.kind if ressource.kind in RESSOURCE_KINDS else "information"
        if kind == "metier" and analysis.metiers:
            continue  # the "métiers à découvrir" card already links every fiche matched
        groups.setdefault(kind, []).append(ressource)
    ressources = [(kind, RESSOURCE_KINDS[kind], groups[kind]) for kind in RESSOURCE_KINDS if kind in groups]
    profile = analysis.profile
    understood = []
    if "age" in profile.from_text and profile.age is not None:
        understood.append(f"vous avez {profile.age} ans")
    if "statut" in profile.from_text and profile.statut:
        understood.append(dict(Statut.choices).get(profile.statut, profile.statut).lower())
    if "handicap" in profile.from_text and profile.handicap:
        understood.append("vous êtes en situation de handicap")
    if "a_quitte_formation" in profile.from_text and profile.a_quitte_formation:
        understood.append("vous avez quitté l’école ou vos études")
    formation_query = metiers[0]["appellation"] if metiers else ""
    return {
        "title": "Votre première réponse",
        "answer": result,
        "avertissements": analysis.warnings,
        "besoins": besoins,
        "compris": understood,
        "metiers": metiers,
        "etapes": result.etapes,
        "orientations": orientations,
        "ressources": ressources,
        "formations_card": "formation" not in groups,
        "formations_url": reverse("search")
        + "?type=formation"
        + (f"&q={_quote(formation_query)}" if formation_query else ""),
        "summary_fields": _summary_fields(result),
        "carte": _map(result),
    }


def _map(result: Answer) -> dict[str, Any]:
    """The map of the structures of the cards (directory/_map.html), in the cards' order."""
    from spro.directory import maps

    return maps.context(ids=[s.id for o in result.orientations for s in o.structures])


def _metier_url(code: str) -> str:
    try:
        return reverse("metier", args=[code])
    except NoReverseMatch:
        return ""


def _quote(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


def _summary_fields(result: Answer) -> list[tuple[str, str]]:
    """The hidden fields of the "download" form: codes, ids and the generated steps; nothing the person typed,
    no age, no commune."""
    fields: list[tuple[str, str]] = [("besoin", b.code) for b in result.analysis.besoins]
    fields += [("metier", m.code_rome) for m in result.analysis.metiers]
    for orientation in result.orientations:
        fields += [("structure", f"{orientation.typologie}|{s.id}") for s in orientation.structures]
        if not orientation.structures:
            fields.append(("structure", f"{orientation.typologie}|"))
    age = result.analysis.profile.age
    # A Region's step may say the age ("{age}" in its rule file): such a step stays off the summary.
    fields += [
        ("etape", step) for step in result.etapes if age is None or not re.search(rf"\b{age} ?ans\b", step)
    ]
    fields += [("ressource", f"{r.titre}|{r.url}") for r in result.ressources]
    return fields


@never_cache
@require_POST
def summary(request: HttpRequest) -> HttpResponse:
    """ "Télécharger le résumé": a plain-text attachment rebuilt from codes and ids (looked up again, so that only
    known labels are written), without the person's text, age or commune."""
    from spro.directory.models import Structure
    from spro.referentials.rome.models import FicheMetier

    def values(name: str) -> list[str]:
        return [v[:MAX_SUMMARY_TEXT] for v in request.POST.getlist(name)[:MAX_SUMMARY_ITEMS]]

    besoins = [code for code in values("besoin") if code in Besoin.values]
    codes = [code for code in values("metier") if re.fullmatch(r"[A-N]\d{4}", code)]
    fiches = dict(FicheMetier.objects.filter(code_rome__in=codes).values_list("code_rome", "libelle"))
    labels = _typology_labels()
    pairs = [value.split("|", 1) for value in values("structure") if "|" in value]
    found = {
        s.di_id: s
        for s in Structure.objects.filter(di_id__in=[sid for _t, sid in pairs if sid]).select_related(
            "commune"
        )
    }
    lines = ["Votre première réponse – résumé", "=" * 31, ""]
    lines.append("Ce résumé ne contient ni votre message, ni votre âge, ni votre commune.")
    lines += ["", "Vos besoins"]
    lines += [f"- {BESOIN_PUBLIC_LABELS[code]}" for code in besoins] or ["- (non précisés)"]
    if fiches:
        lines += ["", "Des métiers à découvrir"]
        lines += [
            f"- {fiches[code]} ({code}) : {request.build_absolute_uri(_metier_url(code))}"
            for code in codes
            if code in fiches
        ]
    steps = [_one_line(step) for step in values("etape")]
    if steps:
        lines += ["", "Vos prochaines étapes"]
        lines += [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
    if pairs:
        lines += ["", "Les structures qui peuvent vous aider"]
        current = None
        for typologie, sid in pairs:
            if typologie not in labels:
                continue
            if typologie != current:
                lines.append(f"* {labels[typologie]}")
                current = typologie
            structure = found.get(sid)
            if structure is not None:
                place = f", {structure.commune.nom}" if structure.commune_id else ""
                lines.append(f"  - {structure.nom}{place}")
    ressources = []
    for value in values("ressource"):
        titre, _sep, url = value.rpartition("|")
        if titre and (url.startswith("/") or url.startswith("https://")):
            ressources.append(
                f"- {_one_line(titre)} : {request.build_absolute_uri(url) if url.startswith('/') else url}"
            )
    if ressources:
        lines += ["", "Pour en savoir plus", *ressources]
    lines += [
        "",
        f"Document généré le {dt.date.today():%d/%m/%Y} – {request.build_absolute_uri(reverse('answer:question'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="premiere-reponse.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _one_line(value: str) -> str:
    return " ".join(value.split())


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
