"""Pages of the users' view: the satisfaction answer, the follow-up consent and withdrawal, « Où en êtes-vous ? ».

Thin: the rules are in `satisfaction.py` and `followup.py`. Forged or replayed posts get a clear page with a 4xx.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from spro.core.ratelimit import rate_limited
from spro.feedback import followup, satisfaction
from spro.feedback.forms import OutcomeForm, SatisfactionForm
from spro.feedback.vocabularies import FOLLOW_UP_CONSENT_TEXTS, OUTCOME_DESCRIPTIONS, Outcome
from spro.referrals import services as referral_services
from spro.referrals.models import Referral

#: Answers per client address: a person answers a few times an hour; stuffing the counts is slowed down.
RATE_SETTING, RATE_DEFAULT = "SPRO_FEEDBACK_RATE_LIMIT", "20/hour"


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_POST
@rate_limited(RATE_SETTING, RATE_DEFAULT, "feedback-satisfaction", methods=("POST",))
def satisfaction_answer(request: HttpRequest) -> HttpResponse:
    form = SatisfactionForm(request.POST)
    context: dict = {"title": "Merci pour votre avis", "error": "", "already": False, "retour": ""}
    key = request.POST.get("cle", "")
    try:
        form_context, _ = satisfaction.read_form_key(key)
        context["retour"] = satisfaction.safe_return(form_context)
        if not form.is_valid():
            raise satisfaction.FeedbackError(
                "valeurs-invalides", "Choisissez une note de 1 à 5 et des raisons de la liste."
            )
        satisfaction.record(key, form.cleaned_data["note"], list(form.cleaned_data["raisons"]))
    except satisfaction.FeedbackError as error:
        already = error.code == "deja-repondu"
        context.update(
            title="Avis déjà enregistré" if already else "Avis non enregistré",
            error=error.message,
            already=already,
        )
        return _private(
            render(request, "feedback/satisfaction_done.html", context, status=409 if already else 400)
        )
    return _private(render(request, "feedback/satisfaction_done.html", context))


def _referral(token: str) -> Referral:
    referral = referral_services.find_by_follow_token(token)
    if referral is None or referral_services.link_expired(referral):
        raise Http404("lien de suivi inconnu ou expiré")
    return referral


@never_cache
@require_POST
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The separate, optional consent to the 3- and 6-month follow-up, from the referral's follow page."""
    referral = _referral(token)
    follow = reverse("referrals:suivi", args=[token])
    if request.POST.get("accord") != "oui" or request.POST.get("version") not in FOLLOW_UP_CONSENT_TEXTS:
        return _private(
            render(
                request,
                "feedback/followup_error.html",
                {
                    "title": "Accord non enregistré",
                    "error": "Cochez la case pour donner votre accord.",
                    "retour": follow,
                },
                status=400,
            )
        )
    try:
        followup.give_consent(referral, request.POST["version"])
    except followup.FollowUpError as error:
        return _private(
            render(
                request,
                "feedback/followup_error.html",
                {"title": "Accord non enregistré", "error": error.message, "retour": follow},
                status=400,
            )
        )
    return HttpResponseRedirect(f"{follow}?suivi-avis=accord#suivi-3-6-mois", status=303)


@never_cache
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    referral = _referral(token)
    followup.withdraw_consent(referral)
    follow = reverse("referrals:suivi", args=[token])
    return HttpResponseRedirect(f"{follow}?suivi-avis=retire#suivi-3-6-mois", status=303)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(RATE_SETTING, RATE_DEFAULT, "feedback-situation", methods=("POST",))
def situation(request: HttpRequest, key: str) -> HttpResponse:
    """« Où en êtes-vous ? », from the link of a follow-up message."""
    try:
        consent_obj, months = followup.read_link(key)
    except followup.FollowUpError as error:
        status = 410 if error.code in ("lien-expire", "accord-retire") else 404
        return _private(
            render(
                request,
                "feedback/followup_error.html",
                {"title": "Lien indisponible", "error": error.message},
                status=status,
            )
        )
    context: dict = {
        "title": f"Où en êtes-vous, {months} mois après votre demande ?",
        "months": months,
        "choices": [(code, label, OUTCOME_DESCRIPTIONS[code]) for code, label in Outcome.choices],
        "error": "",
        "already": getattr(consent_obj, f"answered_{months}"),
    }
    if request.method == "GET":
        return _private(render(request, "feedback/situation.html", context))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        context["error"] = "Choisissez la situation qui vous correspond."
        return _private(render(request, "feedback/situation.html", context, status=400))
    try:
        stored = followup.answer(key, form.cleaned_data["situation"])
    except followup.FollowUpError as error:
        status = 409 if error.code == "deja-repondu" else 400
        return _private(
            render(
                request,
                "feedback/followup_error.html",
                {"title": "Réponse non enregistrée", "error": error.message},
                status=status,
            )
        )
    return _private(
        render(
            request,
            "feedback/situation_done.html",
            {"title": "Merci pour votre réponse", "withdrawn": stored is None},
        )
    )
