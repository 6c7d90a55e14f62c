"""The conseiller's pages: the referrals of their structures, one referral (read = audited), and its actions.

A referral of a structure the user does not act for answers 404, as if it did not exist. The list shows no
personal data; opening a referral shows it, writes an audit event, and marks a new referral as seen.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from spro.accounts.permissions import statistics_structures
from spro.directory.models import Structure
from spro.referrals import access, services, stats, workflow
from spro.referrals.forms import AcceptForm, CloseForm, DeclineForm, OnwardForm
from spro.referrals.models import Referral, Status
from spro.referrals.vocabularies import BESOINS, DeclineReason, Outcome, reason_label

PER_PAGE = 50
MAX_ONWARD_CHOICES = 400


def _referral(request: HttpRequest, public_id: str) -> Referral:
    try:
        key = uuid.UUID(public_id)
    except ValueError as exc:
        raise Http404("demande inconnue") from exc
    referral = Referral.objects.select_related("structure", "commune").filter(public_id=key).first()
    if referral is None or not access.can_handle(request.user, referral):
        raise Http404("demande inconnue")
    return referral


def _onward_structures(referral: Referral):
    candidates = Structure.objects.active().exclude(pk=referral.structure_id).order_by("nom", "id")
    departement = referral.structure.commune.departement_id if referral.structure.commune_id else None
    if departement:
        candidates = candidates.filter(commune__departement_id=departement)
    return list(candidates.only("di_id", "nom", "commune_nom")[:MAX_ONWARD_CHOICES])


@never_cache
@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    rows = access.visible_referrals(request.user)
    status = request.GET.get("statut", "")
    if status and status not in Status.values:
        status = ""
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for referral in page:
        referral.besoins = [BESOINS.get(code, code) for code in referral.besoins]  # labels, for display only
    return render(
        request,
        "referrals/pro_list.html",
        {
            "title": "Demandes de mise en relation",
            "page_obj": page,
            "statuses": Status.choices,
            "status": status,
            "besoins": BESOINS,
        },
    )


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def _log_line(entry) -> dict:
    if not entry.from_status:
        change = f"Création ({_status_label(entry.to_status)})"
    elif entry.from_status != entry.to_status:
        change = f"{_status_label(entry.from_status)} → {_status_label(entry.to_status)}"
    else:
        change = _status_label(entry.to_status)
    if entry.by_person:
        actor = "la personne"
    elif entry.by_user_id:
        actor = entry.by_user.get_full_name() or entry.by_user.get_username()
    else:
        actor = "la plateforme"
    return {
        "at": entry.at,
        "change": change,
        "by": actor,
        "reason": reason_label(entry.reason),
        "note": entry.note,
    }


def _detail(
    request: HttpRequest, referral: Referral, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    access.record_read(request.user, referral, "fiche de la demande (prénom, coordonnée, message)")
    forms = forms or {}
    actions = workflow.allowed_actions(referral, "conseiller")
    context = {
        "title": f"Demande du {referral.created_at:%d/%m/%Y}",
        "referral": referral,
        "besoins": [BESOINS[b] for b in referral.besoins if b in BESOINS],
        "transitions": [_log_line(t) for t in referral.transitions.select_related("by_user")],
        "actions": actions,
        "accept_form": forms.get("accepter") or AcceptForm(prefix="accepter"),
        "replan_form": forms.get("replanifier") or AcceptForm(prefix="replanifier"),
        "decline_form": forms.get("refuser") or DeclineForm(prefix="refuser"),
        "close_form": forms.get("cloturer") or CloseForm(prefix="cloturer"),
        "can_refer": not referral.is_anonymised and referral.status in workflow.OPEN_STATUSES,
        "decline_label": DeclineReason(referral.decline_reason).label if referral.decline_reason else "",
        "outcome_label": Outcome(referral.outcome).label if referral.outcome else "",
        "onward": referral.onward.select_related("structure"),
    }
    if context["can_refer"]:
        context["onward_form"] = forms.get("orienter") or OnwardForm(
            prefix="orienter",
            structures=_onward_structures(referral),
            referral=referral,
            initial={"cle": OnwardForm.new_key(referral)},
        )
    return render(request, "referrals/pro_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = _referral(request, public_id)
    if referral.status == Status.NOUVELLE:
        referral = workflow.apply(referral, "voir", user=request.user)
    return _detail(request, referral)


@never_cache
@login_required
@require_POST
def referral_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    referral = _referral(request, public_id)
    detail_url = reverse("referrals:pro-detail", args=[referral.public_id])
    if action == "orienter":
        return _refer_onward(request, referral, detail_url)
    form_class = {
        "accepter": AcceptForm,
        "replanifier": AcceptForm,
        "refuser": DeclineForm,
        "cloturer": CloseForm,
    }.get(action)
    if form_class is None:
        raise Http404("action inconnue")
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _detail(request, referral, {action: form}, status=400)
    data = form.cleaned_data
    try:
        if action in ("accepter", "replanifier"):
            workflow.apply(
                referral,
                action,
                user=request.user,
                note=data["note"],
                appointment=workflow.Appointment(data["moment"], data["modalite"], data["lieu"]),
            )
            messages.success(
                request,
                "Demande acceptée : le rendez-vous proposé a été enregistré."
                if action == "accepter"
                else "Le nouveau rendez-vous a été proposé à la personne.",
            )
        elif action == "refuser":
            workflow.apply(referral, "refuser", user=request.user, reason=data["motif"], note=data["note"])
            messages.success(request, "Demande refusée.")
        else:
            workflow.apply(referral, "cloturer", user=request.user, reason=data["issue"], note=data["note"])
            messages.success(request, "Demande clôturée.")
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))  # the action's form may not be shown any more
        referral.refresh_from_db()
        return _detail(request, referral, status=409)
    return HttpResponseRedirect(detail_url, status=303)


def _refer_onward(request: HttpRequest, referral: Referral, detail_url: str) -> HttpResponse:
    choices = _onward_structures(referral)
    form = OnwardForm(request.POST, prefix="orienter", structures=choices, referral=referral)
    if not form.is_valid():
        return _detail(request, referral, {"orienter": form}, status=400)
    target = Structure.objects.active().filter(di_id=form.cleaned_data["structure"]).first()
    if target is None:
        form.add_error("structure", "Cette structure n’existe pas ou n’est plus active.")
        return _detail(request, referral, {"orienter": form}, status=400)
    try:
        created = services.refer_onward(
            referral,
            target,
            user=request.user,
            idempotency_key=form.cleaned_data["cle"],
            note=form.cleaned_data["note"],
            follow_url_for=lambda token: request.build_absolute_uri(reverse("referrals:suivi", args=[token])),
        )
    except workflow.WorkflowError as exc:
        form.add_error(None, str(exc))
        return _detail(request, referral, {"orienter": form}, status=409)
    if created.created:
        messages.success(
            request,
            f"La personne a été orientée vers {created.referral.structure.nom} : une nouvelle demande a été créée.",
        )
    else:  # the same form sent again: one key, one onward referral
        messages.info(
            request, "Ce formulaire a déjà servi : la personne a déjà été orientée, rien n’a été refait."
        )
    return HttpResponseRedirect(detail_url, status=303)


@never_cache
@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts per structure and status over the user's statistics scope: no row, no personal data."""
    rows = stats.counts(statistics_structures(request.user))
    for row in rows:
        row["counts"] = [row["statuts"][code] for code in Status.values]
    return render(
        request,
        "referrals/pro_stats.html",
        {"title": "Statistiques des mises en relation", "rows": rows, "statuses": Status.choices},
    )
