"""What the person takes away: the portable JSON (schema `spro-parcours`, version 1, documented in
docs/parcours.md), the PDF (through `spro.core.documents`) and the calendar of appointments (through
`spro.core.ics`). The JSON and PDF hold only the accepted content; pending proposals are listed apart in the JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from spro.core.documents import BulletList, Document, Heading, KeyValues, Paragraph
from spro.core.ics import CalendarEvent
from spro.pathways.catalogue import load as load_catalogue
from spro.pathways.models import Action, Objective, Pathway
from spro.pathways.vocabularies import (
    ActionStatus,
    GoalKind,
    ObjectiveStatus,
    Origin,
    ProposalState,
    SharedPart,
)
from spro.referrals.vocabularies import AppointmentChannel

SCHEMA = "spro-parcours"
SCHEMA_VERSION = 1
APPOINTMENT_MINUTES = 60


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def objectives_of(
    pathway: Pathway, states: tuple[str, ...] = (ProposalState.ACCEPTED,)
) -> list[tuple[Objective, list[Action]]]:
    """The pathway's steps in order, each with its actions, both in `states` (accepted only by default)."""
    actions = Action.objects.select_related("structure", "proposed_by_structure").order_by("position", "id")
    objectives = (
        Objective.objects.filter(focus__pathway=pathway, proposal_state__in=states)
        .select_related("focus", "proposed_by_structure")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "id")
    )
    return [(o, [a for a in o.actions.all() if a.proposal_state in states]) for o in objectives]


def _action_json(action: Action) -> dict[str, Any]:
    return {
        "libelle": action.label,
        "code_catalogue": action.catalogue_code or None,
        "statut": action.status,
        "a_faire_avant": _iso(action.due_date),
        "rendez_vous": None
        if action.appointment_at is None
        else {
            "date": _iso(action.appointment_at),
            "modalite": action.appointment_channel or None,
            "lieu": action.appointment_place or None,
        },
        "metier_rome": action.rome_code or None,
        "formation": action.formation_id or None,
        "dispositif": action.scheme_code or None,
        "structure": None
        if action.structure is None
        else {"id": action.structure.di_id, "nom": action.structure.nom},
        "proposition": action.proposal_state,
        "propose_par": action.proposed_by_structure.nom if action.proposed_by_structure else None,
    }


def export_json(pathway: Pathway) -> dict[str, Any]:
    """The portable JSON (see docs/parcours.md, « Export JSON »)."""
    catalogue = load_catalogue()
    everything = objectives_of(pathway, tuple(ProposalState.values))
    axes: dict[str, dict[str, Any]] = {}
    for focus in pathway.focuses.order_by("position", "id"):
        axes[focus.code] = {"code": focus.code, "libelle": catalogue.axe_label(focus.code), "etapes": []}
    for objective, objective_actions in everything:
        axes[objective.focus.code]["etapes"].append(
            {
                "libelle": objective.label,
                "code_catalogue": objective.catalogue_code or None,
                "statut": objective.status,
                "proposition": objective.proposal_state,
                "propose_par": objective.proposed_by_structure.nom
                if objective.proposed_by_structure
                else None,
                "actions": [_action_json(a) for a in objective_actions],
            }
        )
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "exporte_le": _iso(timezone.now()),
        "parcours": {
            "id": str(pathway.public_id),
            "cree_le": _iso(pathway.created_at),
            "modifie_le": _iso(pathway.updated_at),
            "origine": pathway.origin,
            "but": {
                "nature": pathway.goal_kind,
                "libelle": pathway.goal_label,
                "code": pathway.goal_code or None,
            },
            "axes": list(axes.values()),
            "partages": [
                {
                    "structure": {"id": s.structure.di_id, "nom": s.structure.nom},
                    "parties": list(s.parts),
                    "version_consentement": s.consent_text_version,
                    "donne_le": _iso(s.given_at),
                    "expire_le": _iso(s.expires_at),
                    "retire_le": _iso(s.withdrawn_at),
                }
                for s in pathway.shares.select_related("structure").order_by("given_at", "id")
            ],
            "journal": [
                {
                    "le": _iso(c.at),
                    "par": "personne"
                    if c.by_person
                    else (c.by_structure.nom if c.by_structure else "structure"),
                    "nature": c.kind,
                    "description": c.description,
                }
                for c in pathway.changes.select_related("by_structure").order_by("at", "id")
            ],
        },
    }


def _when(action: Action) -> str:
    parts = []
    if action.appointment_at:
        moment = timezone.localtime(action.appointment_at)
        parts.append(f"rendez-vous le {moment:%d/%m/%Y à %H:%M}")
        if action.appointment_channel:
            parts.append(AppointmentChannel(action.appointment_channel).label.lower())
        if action.appointment_place:
            parts.append(action.appointment_place)
    if action.due_date:
        parts.append(f"avant le {action.due_date:%d/%m/%Y}")
    return ", ".join(parts)


def to_document(pathway: Pathway) -> Document:
    """The pathway as a neutral document (PDF, print): goal, steps by axis, actions with status and dates."""
    catalogue = load_catalogue()
    blocks: list[Any] = [
        KeyValues(
            [
                ("But", f"{GoalKind(pathway.goal_kind).label} : {pathway.goal_label}"),
                ("Commencé le", f"{timezone.localtime(pathway.created_at):%d/%m/%Y}"),
                ("Origine", Origin(pathway.origin).label),
            ]
        )
    ]
    objectives = objectives_of(pathway)
    if not objectives:
        blocks.append(Paragraph("Aucune étape pour le moment."))
    current_focus = None
    for objective, objective_actions in objectives:
        if objective.focus.code != current_focus:
            current_focus = objective.focus.code
            blocks.append(Heading(catalogue.axe_label(current_focus), 2))
        blocks.append(Heading(f"{objective.label} ({ObjectiveStatus(objective.status).label})", 3))
        items = []
        for action in objective_actions:
            when = _when(action)
            items.append(
                f"{action.label} : {ActionStatus(action.status).label}" + (f" ({when})" if when else "")
            )
        blocks.append(BulletList(items) if items else Paragraph("Pas encore d’action."))
    shares = [s for s in pathway.shares.select_related("structure") if s.withdrawn_at is None]
    if shares:
        blocks.append(Heading("Partagé avec", 2))
        blocks.append(
            BulletList(
                [
                    f"{s.structure.nom} jusqu’au {timezone.localtime(s.expires_at):%d/%m/%Y} "
                    f"({', '.join(SharedPart(p).label.lower() for p in s.parts)})"
                    for s in shares
                ]
            )
        )
    return Document(title="Mon parcours", subtitle=pathway.goal_label, blocks=blocks)


def appointments(pathway: Pathway) -> list[Action]:
    """The accepted actions that have an appointment, in date order."""
    return list(
        Action.objects.filter(
            objective__focus__pathway=pathway,
            proposal_state=ProposalState.ACCEPTED,
            objective__proposal_state=ProposalState.ACCEPTED,
            appointment_at__isnull=False,
        )
        .select_related("structure")
        .order_by("appointment_at", "id")
    )


def calendar_events(pathway: Pathway, url: str = "") -> list[CalendarEvent]:
    """One event per appointment; a cancelled one (action abandoned) is sent as CANCELLED so calendars drop it."""
    events = []
    for action in appointments(pathway):
        start = action.appointment_at
        assert start is not None
        location = action.appointment_place or (action.structure.nom if action.structure else "")
        events.append(
            CalendarEvent(
                uid=f"parcours-{pathway.public_id}-rdv-{action.pk}",
                start=start,
                end=start + dt.timedelta(minutes=APPOINTMENT_MINUTES),
                summary=action.label,
                description=_when(action),
                location=location,
                url=url,
                cancelled=action.status == ActionStatus.ABANDONNE,
            )
        )
    return events
