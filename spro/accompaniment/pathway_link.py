"""The accompaniment's side of the person's pathway (spro.pathways): every call into that app goes through here.

The pathway belongs to the person (docs/parcours.md); an accompaniment only creates one when none exists, asks for
a share with its structure (the person's consent, recorded by the pathways app with its own text version), and
proposes appointments (actions the person accepts or declines). A structure reads the pathway only through an
open share (`spro.pathways.access`): if the person withdraws it, the accompaniment's page stops showing it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse

from spro.accompaniment.errors import AccompanimentError
from spro.pathways import access as pathway_access
from spro.pathways import exports as pathway_exports
from spro.pathways import services as pathway_services
from spro.pathways.models import Action, Objective, Pathway
from spro.pathways.vocabularies import GoalKind, ObjectiveStatus, ProposalState, SharedPart
from spro.pathways.vocabularies import Origin as PathwayOrigin

#: The longest share the pathways app allows, in days: an accompaniment asks for it (the person may withdraw it).
SHARE_DAYS = max(pathway_services.SHARE_DURATIONS)
SHARE_PARTS = (SharedPart.OBJECTIFS.value, SharedPart.ACTIONS.value, SharedPart.RENDEZ_VOUS.value)
#: The pathways app's consent text for a share, read to the person with the accompaniment's own.
SHARE_CONSENT_TEXT = pathway_services.SHARE_CONSENT_TEXT
FIRST_STEP = ("orientation", "faire-le-point")


class PathwayUnavailable(AccompanimentError):
    """The pathways app refused (its message is French)."""


def new_pathway(goal_label: str, *, user, structure) -> tuple[Pathway, str]:
    """A new pathway for a person met on the spot: their project as the goal, « faire le point » as a first step."""
    try:
        return pathway_services.create_pathway(
            goal_kind=GoalKind.PROJET,
            goal_label=goal_label,
            origin=PathwayOrigin.ACCOMPAGNEMENT,
            objectives=[FIRST_STEP],
            created_by=pathway_services.conseiller(user, structure),
        )
    except pathway_services.PathwayError as exc:
        raise PathwayUnavailable(str(exc)) from exc


def pathway_for_referral(referral, *, user) -> tuple[Pathway, str]:
    """The pathway the person kept from this referral (the most recent one; no new link then), else a new one."""
    kept = Pathway.objects.filter(origin_referral=referral).order_by("-created_at", "-id").first()
    if kept is not None:
        return kept, ""
    try:
        return pathway_services.create_from_referral(referral)
    except pathway_services.PathwayError as exc:
        raise PathwayUnavailable(str(exc)) from exc


def share_with(pathway: Pathway, structure, *, consent_text_version: str = "") -> None:
    """Share the pathway with the accompanying structure (objectives, actions, appointments), for the longest
    duration the pathways app allows. `consent_text_version` is the accompaniment's own consent, recorded on the
    accompaniment; the share records the pathways app's text, read to the person at the same time."""
    try:
        pathway_services.share(
            pathway,
            structure,
            parts=SHARE_PARTS,
            days=SHARE_DAYS,
            consent_text_version=pathway_services.SHARE_CONSENT_TEXT_VERSION,
        )
    except pathway_services.PathwayError as exc:
        raise PathwayUnavailable(str(exc)) from exc


def structure_reads(user, pathway: Pathway, structure) -> bool:
    """Whether `user`, for `structure`, reads the pathway now (an open share)."""
    return pathway_access.can_read(user, pathway, structure)


def appointments(pathway: Pathway) -> list[dict[str, Any]]:
    """The pathway's appointments, proposed ones included, with the person's answer."""
    rows = (
        Action.objects.filter(objective__focus__pathway=pathway, appointment_at__isnull=False)
        .select_related("structure")
        .order_by("appointment_at", "id")
    )
    return [
        {
            "label": action.label,
            "at": action.appointment_at,
            "channel": action.get_appointment_channel_display() if action.appointment_channel else "",
            "place": action.appointment_place,
            "structure": action.structure.nom if action.structure else "",
            "state": ProposalState(action.proposal_state).label,
            "status": action.get_status_display(),
        }
        for action in rows
    ]


def propose_appointment(
    pathway: Pathway, structure, *, user, label: str, at: dt.datetime, channel: str, place: str
) -> Action:
    """Propose an appointment in the pathway's first open step (a « faire le point » step is proposed first when
    the pathway has none); the person accepts or declines it."""
    objective = (
        Objective.objects.filter(
            focus__pathway=pathway, proposal_state=ProposalState.ACCEPTED, status=ObjectiveStatus.EN_COURS
        )
        .select_related("focus__pathway")
        .order_by("position", "id")
        .first()
    )
    try:
        if objective is None:
            objective = pathway_services.propose_objective(
                pathway, user, structure, focus_code=FIRST_STEP[0], catalogue_code=FIRST_STEP[1]
            )
        return pathway_services.propose_appointment(
            objective, user, structure, label=label, appointment_at=at, channel=channel, place=place
        )
    except pathway_services.PathwayError as exc:
        raise PathwayUnavailable(str(exc)) from exc


def find_by_token(token: str) -> Pathway | None:
    return pathway_services.find_by_token(token)


def portable(pathway: Pathway) -> dict[str, Any] | None:
    """The pathways app's portable JSON of the pathway (included in the person's export)."""
    return pathway_exports.export_json(pathway)


def person_url(token: str) -> str:
    """The person's page of their pathway (the private link)."""
    try:
        return reverse("pathways:parcours", args=[token])
    except NoReverseMatch:
        return f"/parcours/{token}"


def pro_url(pathway: Pathway | None) -> str:
    """The conseiller's page of the pathway (/pro/parcours/<public_id>)."""
    if pathway is None:
        return ""
    try:
        return reverse("pathways:pro-detail", args=[pathway.public_id])
    except NoReverseMatch:
        return f"/pro/parcours/{pathway.public_id}"
