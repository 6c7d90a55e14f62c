"""The conseiller's pages of « Mon parcours »: the pathways shared with their structures, one pathway (each read
audited), and the proposals (a step, an action, an appointment) the person will accept or decline.

A pathway not shared, right now, with a structure the user is a member of answers 404, as if it did not exist
(the access rule is `spro.pathways.access`). A conseiller sees only the parts the person shared.
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

from spro.accounts.permissions import structures_in_scope
from spro.pathways import access, services
from spro.pathways.catalogue import load as load_catalogue
from spro.pathways.models import Objective, Pathway, PathwayShare
from spro.pathways.services import PathwayError
from spro.pathways.views import Shown, action_fields
from spro.pathways.vocabularies import GoalKind, ProposalState, SharedPart
from spro.referrals.vocabularies import AppointmentChannel

#: Shares per page of the conseiller's list.
PER_PAGE = 50


def _shared(request: HttpRequest, public_id: str) -> tuple[Pathway, PathwayShare]:
    try:
        key = uuid.UUID(public_id)
    except ValueError as exc:
        raise Http404("parcours inconnu") from exc
    pathway = Pathway.objects.filter(public_id=key).first()
    share = access.share_for(request.user, pathway) if pathway is not None else None
    if pathway is None or share is None:
        raise Http404("parcours inconnu")
    return pathway, share


@never_cache
@login_required
@require_GET
def pathway_list(request: HttpRequest) -> HttpResponse:
    """The shares open with the user's structures (no personal data beyond the goal)."""
    # The member's structure ids as a list: with one structure the filter is an equality, so the partial index
    # (structure, -given_at, -id) of open shares gives the order without sorting them all (bench/accompaniment).
    ids = list(structures_in_scope(request.user).values_list("pk", flat=True))
    shares = (
        access.active_shares()
        .filter(structure_id__in=ids)
        .select_related("pathway", "structure")
        .only(
            "given_at",
            "expires_at",
            "structure__nom",
            "pathway__public_id",
            "pathway__goal_kind",
            "pathway__goal_label",
        )
        .order_by("-given_at", "-id")
    )
    page = Paginator(shares, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pathways/pro_list.html",
        {"title": "Parcours partagés avec votre structure", "shares": page.object_list, "page_obj": page},
    )


@never_cache
@login_required
@require_GET
def pathway_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    pathway, share = _shared(request, public_id)
    parts = set(share.parts)
    access.record_read(
        request.user, pathway, share.structure, "parcours partagé : " + ", ".join(sorted(parts))
    )
    catalogue = load_catalogue()
    steps: list[Shown] = []
    if SharedPart.OBJECTIFS in parts or SharedPart.ACTIONS in parts or SharedPart.RENDEZ_VOUS in parts:
        for objective in (
            Objective.objects.filter(focus__pathway=pathway)
            .exclude(proposal_state=ProposalState.DECLINED)
            .select_related("focus")
            .prefetch_related("actions__structure")
            .order_by("position", "id")
        ):
            shown = [
                a
                for a in objective.actions.all()
                if a.proposal_state != ProposalState.DECLINED
                and (
                    (a.appointment_at is None and SharedPart.ACTIONS in parts)
                    or (a.appointment_at is not None and SharedPart.RENDEZ_VOUS in parts)
                )
            ]
            steps.append(
                Shown(objective, axe_label=catalogue.axe_label(objective.focus.code), shown_actions=shown)
            )
    changes = []
    if SharedPart.JOURNAL in parts:
        changes = list(pathway.changes.select_related("by_structure").order_by("-at", "-id")[:200])
    context = {
        "title": f"Parcours : {pathway.goal_label}",
        "pathway": pathway,
        "share": share,
        "parts": parts,
        "part_labels": [SharedPart(p).label for p in share.parts if p in SharedPart.values],
        "goal_kind_label": GoalKind(pathway.goal_kind).label,
        "steps": steps,
        "show_objectives": SharedPart.OBJECTIFS in parts,
        "changes": changes,
        "objectifs_by_axe": [(a, catalogue.objectifs_of(a.code)) for a in catalogue.axes.values()],
        "axes": list(catalogue.axes.values()),
        "action_types": list(catalogue.actions.values()),
        "channels": AppointmentChannel.choices,
        "can_propose_objective": SharedPart.OBJECTIFS in parts,
        "can_propose_action": SharedPart.ACTIONS in parts and bool(steps),
        "can_propose_appointment": SharedPart.RENDEZ_VOUS in parts and bool(steps),
    }
    return render(request, "pathways/pro_detail.html", context)


@never_cache
@login_required
@require_POST
def propose(request: HttpRequest, public_id: str) -> HttpResponse:
    """`quoi` = etape | action | rendez-vous. A refused input comes back as a message (nothing is written)."""
    pathway, share = _shared(request, public_id)
    structure, user, what = share.structure, request.user, request.POST.get("quoi", "")
    detail = reverse("pathways:pro-detail", args=[pathway.public_id])
    try:
        if what == "etape":
            code = request.POST.get("etape", "")
            objectif = load_catalogue().objectifs.get(code) if code else None
            if code and objectif is None:
                raise PathwayError("étape inconnue du catalogue")
            services.propose_objective(
                pathway,
                user,
                structure,
                focus_code=objectif.axe if objectif and objectif.axe else request.POST.get("axe", ""),
                label=request.POST.get("libelle", ""),
                catalogue_code=code,
            )
        elif what in ("action", "rendez-vous"):
            objective = (
                Objective.objects.filter(focus__pathway=pathway, pk=_int(request.POST.get("etape_id", "")))
                .exclude(proposal_state=ProposalState.DECLINED)
                .first()
            )
            if objective is None:
                raise PathwayError("étape inconnue")
            fields = action_fields(request.POST, structure=structure)
            if what == "rendez-vous":
                if fields.appointment_at is None:
                    raise PathwayError("indiquez le jour et l’heure du rendez-vous")
                services.propose_appointment(
                    objective,
                    user,
                    structure,
                    label=request.POST.get("libelle", ""),
                    appointment_at=fields.appointment_at,
                    channel=fields.appointment_channel,
                    place=fields.appointment_place,
                )
            else:
                fields.appointment_at, fields.appointment_channel, fields.appointment_place = None, "", ""
                services.propose_action(
                    objective, user, structure, label=request.POST.get("libelle", ""), fields=fields
                )
        else:
            raise PathwayError("proposition inconnue")
    except PathwayError as exc:
        messages.error(request, f"Proposition non envoyée : {exc}.")
        return HttpResponseRedirect(detail, status=303)
    messages.success(
        request, "Proposition envoyée : la personne la verra sur son parcours et pourra l’accepter."
    )
    return HttpResponseRedirect(detail, status=303)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
