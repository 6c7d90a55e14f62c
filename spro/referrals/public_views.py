"""The person's pages: consent screen, request form, follow-up link (status, withdraw consent, delete data).

No account, no JavaScript: three server-rendered steps (consent → form → follow page), CSRF on every POST, and a
per-client limit on creations. The form's hidden key is bound to this form and this structure (tokens.py): a key
from another form is refused. A double submit of the form (same key, same person) lands on the same follow page;
the same key with other details gets a neutral « already sent » page without the link. Each display of the follow
page (personal data) is written to the audit log, as professionals' reads are.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from spro.core.client import client_ip
from spro.core.ratelimit import parse_rate
from spro.directory.models import Structure
from spro.referrals import access, conf, services, workflow
from spro.referrals.forms import ContactForm
from spro.referrals.models import MESSAGE_MAX_LENGTH, Referral, Status
from spro.referrals.vocabularies import BESOINS

CONSENT_STEP = "consentement"
FORM_STEP = "formulaire"


def _structure(structure_id: str) -> Structure:
    if len(structure_id) > 200 or not structure_id.isprintable():
        raise Http404("structure inconnue")
    structure = Structure.objects.active().filter(di_id=structure_id).first()
    if structure is None:
        raise Http404("structure inconnue")
    return structure


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


_PENDING, _ALLOWED = "?", "ok"
#: How long a concurrent duplicate waits for the first submission's decision (it takes a cache round trip).
_DECISION_WAIT_SECONDS = 2.0


def _too_many(request: HttpRequest, key_digest: str) -> int:
    """Seconds to wait if this client created too many referrals in the current window, else 0.

    Each form key is counted once, even when the same form arrives several times at the same moment: the first
    submission of a key claims it in the shared cache (an atomic `add`) and records its decision there; the
    duplicates read that decision instead of counting again (and are refused when the first one was)."""
    value = conf.rate_limit()
    if not value:
        return 0
    rate = parse_rate(value, "SPRO_REFERRAL_RATE_LIMIT")
    now = time.time()
    window = int(now // rate.seconds)
    retry = max(1, math.ceil((window + 1) * rate.seconds - now))
    claim = f"spro:referrals:rl:cle:{key_digest}"
    if not cache.add(claim, _PENDING, timeout=rate.seconds + 1):
        deadline = time.monotonic() + _DECISION_WAIT_SECONDS
        decision = cache.get(claim)
        while decision == _PENDING and time.monotonic() < deadline:
            time.sleep(0.02)
            decision = cache.get(claim)
        if decision == _ALLOWED:
            return 0
        if decision is not None and decision != _PENDING:
            return int(decision)
        # The claim vanished (cache restarted or window over): count this submission as a new one.
        cache.add(claim, _PENDING, timeout=rate.seconds + 1)
    digest = hashlib.sha256(client_ip(request).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"spro:referrals:rl:{rate.seconds}:{window}:{digest}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    wait = 0 if count <= rate.requests else retry
    if wait:
        # Refused: forget the claim, so that the same form sent again after the window is counted then.
        cache.set(claim, str(wait), timeout=min(wait, rate.seconds + 1))
    else:
        cache.set(claim, _ALLOWED, timeout=rate.seconds + 1)
    return wait


def _consent_context(structure: Structure) -> dict:
    return {
        "structure": structure,
        "title": f"Être contacté par {structure.nom}",
        "retention_months": conf.retention_months(),
        "expiry_days": conf.expiry_days(),
        "consent_step": CONSENT_STEP,
        "form_step": FORM_STEP,
        "consent_version": services.CONSENT_TEXT_VERSION,
    }


def _follow_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("referrals:suivi", args=[token]))


def _carried_besoins(request: HttpRequest) -> list[str]:
    """Needs sent by the answer page (POST, never in the address), kept through the consent step to pre-check
    the form's boxes; unknown codes are dropped."""
    if request.method != "POST":
        return []
    return [code for code in dict.fromkeys(request.POST.getlist("besoins")) if code in BESOINS]


#: The answer's address (spro.answer, `answer:reponse`), carried by its « Être contacté·e » button for « Revenir à
#: ma réponse »: codes only, never the person's text; anything else is dropped.
ANSWER_PATH = "/question/reponse?"


def _carried_answer(request: HttpRequest) -> str:
    value = request.POST.get("reponse", "") if request.method == "POST" else ""
    if value.startswith(ANSWER_PATH) and len(value) <= 2000 and not any(c in value for c in '"<> \n'):
        return value
    return ""


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, structure_id: str) -> HttpResponse:
    structure = _structure(structure_id)
    context = {
        **_consent_context(structure),
        "besoins": _carried_besoins(request),
        "reponse": _carried_answer(request),
    }
    step = request.POST.get("etape") if request.method == "POST" else None
    if step is None:
        return _private(render(request, "referrals/consent.html", context))
    if request.POST.get("consentement") != services.CONSENT_TEXT_VERSION:
        context["consent_error"] = (
            "Pour être contacté, vous devez d’abord accepter que ces informations soient transmises à la structure."
        )
        return _private(render(request, "referrals/consent.html", context, status=400))
    if step == CONSENT_STEP:
        form = ContactForm(
            structure=structure,
            initial={
                "cle": ContactForm.new_key(structure),
                "contact_channel": "courriel",
                "besoins": context["besoins"],
            },
        )
        return _private(render(request, "referrals/form.html", {**context, "form": form}))
    if step != FORM_STEP:
        raise Http404("étape inconnue")
    form = ContactForm(request.POST, structure=structure)
    if not form.is_valid():
        return _private(render(request, "referrals/form.html", {**context, "form": form}, status=400))
    data = form.cleaned_data
    key_digest = services.form_key_digest(structure, data["cle"])
    already = Referral.objects.filter(idempotency_key_hash=key_digest).exists()
    if not already:
        wait = _too_many(request, key_digest)
        if wait:
            response = render(
                request,
                "referrals/too_many.html",
                {**context, "wait_minutes": math.ceil(wait / 60)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return _private(response)
    details = services.ContactDetails(
        first_name=data["first_name"],
        contact_channel=data["contact_channel"],
        contact_value=data["contact_value"],
        message=data["message"],
        besoins=data["besoins"],
        commune=data["commune"],
    )
    try:
        created = services.create_referral(
            structure,
            details,
            idempotency_key=data["cle"],
            consent_text_version=services.CONSENT_TEXT_VERSION,
            follow_url_for=lambda token: _follow_url(request, token),
        )
    except workflow.WorkflowError as exc:
        form.add_error(None, str(exc))
        return _private(render(request, "referrals/form.html", {**context, "form": form}, status=400))
    if not created.created and not (
        created.follow_token and services.same_details(created.referral, details)
    ):
        # The form was already sent, but not with these details (or its link was deleted): never show its link.
        return _private(render(request, "referrals/already_sent.html", context))
    target = reverse("referrals:suivi", args=[created.follow_token]) + "?envoyee=1"
    return HttpResponseRedirect(target, status=303)


def _followed(token: str) -> tuple[Referral | None, bool]:
    referral = services.find_by_follow_token(token)
    if referral is None:
        raise Http404("lien de suivi inconnu")
    return referral, services.link_expired(referral)


def _expired_page(request: HttpRequest) -> HttpResponse:
    return _private(
        render(request, "referrals/link_expired.html", {"title": "Lien de suivi expiré"}, status=410)
    )


@never_cache
@require_http_methods(["GET"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    referral, expired = _followed(token)
    if expired:
        return _expired_page(request)
    access.record_person_read(referral, "page de suivi (lien personnel)")
    appointment_open = (
        referral.status == Status.ACCEPTEE
        and not referral.is_anonymised
        and referral.appointment_at is not None
        and referral.appointment_at > timezone.now()
    )
    context = {
        "title": "Suivi de votre demande",
        "referral": referral,
        "token": token,
        "follow_url": _follow_url(request, token),
        "just_sent": request.GET.get("envoyee") == "1",
        "besoins": [BESOINS[b] for b in referral.besoins if b in BESOINS],
        "can_withdraw": referral.status in workflow.OPEN_STATUSES and not referral.is_anonymised,
        "Status": Status,
        "retention_months": conf.retention_months(),
        "appointment_open": appointment_open,
        "appointment_answer": request.GET.get("rdv", ""),
    }
    return _private(render(request, "referrals/follow.html", context))


@never_cache
@require_POST
def appointment(request: HttpRequest, token: str) -> HttpResponse:
    """The person confirms the proposed appointment or asks for another one (CSRF; idempotent)."""
    referral, expired = _followed(token)
    if expired:
        return _expired_page(request)
    choice = request.POST.get("choix", "")
    action = {"confirmer": "confirmer-rdv", "deplacer": "deplacer-rdv"}.get(choice)
    if action is None:
        return _private(HttpResponse("Choix inconnu.", status=400, content_type="text/plain; charset=utf-8"))
    note = (
        request.POST.get("disponibilites", "")[: MESSAGE_MAX_LENGTH + 1] if action == "deplacer-rdv" else ""
    )
    try:
        workflow.apply(referral, action, by_person=True, note=note)
    except workflow.WorkflowError as exc:
        context = {"title": "Rendez-vous", "message": str(exc), "token": token}
        status = 400 if isinstance(exc, workflow.MissingInformation) else 409
        return _private(render(request, "referrals/appointment_refused.html", context, status=status))
    return HttpResponseRedirect(
        reverse("referrals:suivi", args=[token])
        + f"?rdv={'confirme' if choice == 'confirmer' else 'deplacer'}",
        status=303,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    referral, expired = _followed(token)
    if expired:
        return _expired_page(request)
    if referral.status not in workflow.OPEN_STATUSES or referral.is_anonymised:
        return HttpResponseRedirect(reverse("referrals:suivi", args=[token]), status=303)
    if request.method == "GET":
        return _private(
            render(
                request,
                "referrals/confirm.html",
                {"title": "Retirer votre demande", "referral": referral, "token": token, "action": "retirer"},
            )
        )
    with contextlib.suppress(
        workflow.WorkflowError
    ):  # withdrawn meanwhile: the follow page says what happened
        services.withdraw(referral)
    return HttpResponseRedirect(reverse("referrals:suivi", args=[token]) + "?retiree=1", status=303)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    referral, expired = _followed(token)
    if expired:
        return _expired_page(request)
    if request.method == "GET":
        return _private(
            render(
                request,
                "referrals/confirm.html",
                {
                    "title": "Supprimer vos données",
                    "referral": referral,
                    "token": token,
                    "action": "supprimer",
                },
            )
        )
    services.delete_data(referral)
    return _private(render(request, "referrals/deleted.html", {"title": "Vos données ont été supprimées"}))
