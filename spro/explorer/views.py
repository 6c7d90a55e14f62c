"""Pages of the interest explorer: the questionnaire (`/explorer`), the results (`/explorer/resultats?r1=…`) and
the summary download (`/explorer/resume?r1=…`). Everything comes from the address; nothing about the person is
kept (only today's anonymous count of completed questionnaires)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from spro.explorer.forms import AdjustmentsForm, QuestionnaireForm
from spro.explorer.models import count_completed
from spro.explorer.referential import get_referential
from spro.explorer.results import present, profile_summary, summary_text
from spro.explorer.scoring import compute_profile, rank

ADJUSTMENT_PARAMS = ("sans", "niveau_max")
LIMIT = 20


def questionnaire(request: HttpRequest) -> HttpResponse:
    """The empty questionnaire (answers given in the address are shown checked, for « Modifier mes réponses »)."""
    form = QuestionnaireForm(initial={k: v for k, v in request.GET.items() if k.startswith("r")})
    return render(request, "explorer/questionnaire.html", {"form": form, "title": "Explorer les métiers"})


def _compute(request: HttpRequest) -> tuple[QuestionnaireForm, dict | None]:
    form = QuestionnaireForm(request.GET)
    if not form.is_valid():
        return form, None
    answers = form.answers()
    referential = get_referential()
    adjust = AdjustmentsForm(request.GET, domaines=referential.grands_domaines)
    adjustments = adjust.adjustments()
    profile = compute_profile(answers, form.questionnaire)
    ranked = rank(profile, referential.matrix, adjustments, limit=LIMIT)
    answers_query = [(f"r{item_id}", str(value)) for item_id, value in sorted(answers.items())]
    results_url = reverse("explorer:resultats") + "?" + urlencode(answers_query)
    full_query = request.GET.urlencode()
    metiers = present(ranked, profile, referential, form.questionnaire)
    return form, {
        "profile": profile,
        "resume": profile_summary(profile, referential),
        "metiers": metiers,
        "adjust": adjust,
        "adjustments": adjustments,
        "answers_query": answers_query,
        "results_url": results_url,
        "modifier_url": reverse("explorer:questionnaire") + "?" + urlencode(answers_query),
        "resume_url": reverse("explorer:resume") + "?" + full_query,
        "full_url": reverse("explorer:resultats") + "?" + full_query,
        "niveau_inconnu": adjustments.niveau_max is not None and any(m["niveau"] is None for m in metiers),
    }


def resultats(request: HttpRequest) -> HttpResponse:
    form, context = _compute(request)
    if context is None:
        return render(request, "explorer/questionnaire.html", {"form": form, "title": "Explorer les métiers"})
    if not any(p in request.GET for p in ADJUSTMENT_PARAMS):
        count_completed()  # the questionnaire's own submission; adjusting the results is not a new one
    return render(request, "explorer/resultats.html", {**context, "title": "Des métiers à découvrir"})


def resume(request: HttpRequest) -> HttpResponse:
    """« Télécharger mon résumé »: a plain-text file built from the address (the person keeps it, we do not)."""
    form, context = _compute(request)
    if context is None:
        return render(request, "explorer/questionnaire.html", {"form": form, "title": "Explorer les métiers"})
    site_url = settings.SPRO_SITE_URL.rstrip("/")
    text = summary_text(
        context["profile"], context["resume"], context["metiers"], site_url, context["full_url"]
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-centres-interet.txt"'
    return response
