"""The bodies' life: sessions with their agenda, documents (through `spro.core.uploads`), attendance, decisions,
and the follow-up actions decisions become, listed until done (overdue first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, Max, QuerySet, Value, When
from django.utils import timezone

from spro import audit
from spro.actionplan import access
from spro.actionplan.models import (
    OPEN_FOLLOW_UP,
    Action,
    ActionPlan,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    FollowUp,
    FollowUpStatus,
    Session,
    SessionDocument,
)
from spro.core import uploads

UPLOAD_FOLDER = "crefop"


class BodyError(ValueError):
    """A refused operation on a body; the message is French and shown to the user."""


def agenda_lines(text: str) -> list[str]:
    """The agenda typed one point per line: blank lines and list marks (« - », « 1. ») dropped."""
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-•*").strip()
        head, _, rest = line.partition(" ")
        if head.rstrip(".)").isdigit() and rest:
            line = rest.strip()
        if line:
            lines.append(line[:300])
    return lines


def create_session(
    body: Body, user, when: dt.datetime, place: str, agenda: Iterable[str], notes: str = ""
) -> Session:
    if not access.can_edit_bodies(user, body.region_id):
        raise BodyError("Vous ne pouvez pas enregistrer de séance pour cette instance.")
    with transaction.atomic():
        session = Session.objects.create(
            body=body, date=when, place=place.strip(), notes=notes.strip(), created_by=user
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, position=n, title=title) for n, title in enumerate(agenda, start=1)
        )
    audit.record(user, "crefop.session", session, detail=str(session)[:500])
    return session


def add_document(session: Session, user, upload: Any, nature: str, title: str) -> SessionDocument:
    """Check and store an uploaded file (type by content, size, checksum, antivirus hook), then record it."""
    if not access.can_edit_bodies(user, session.body.region_id):
        raise BodyError("Vous ne pouvez pas déposer de document pour cette séance.")
    stored = uploads.store(upload, UPLOAD_FOLDER)
    with uploads.removed_on_failure(stored):
        document = SessionDocument.objects.create(
            session=session,
            nature=nature,
            title=(title.strip() or stored.original_name)[:200],
            path=stored.path,
            original_name=stored.original_name[:200],
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=user,
        )
    audit.record(user, "crefop.document.add", document, detail=document.title)
    return document


def record_attendance(
    session: Session, user, member_role: str, organisation: str, presence: str, name: str = "", member=None
) -> Attendance:
    """A line of the attendance sheet; `member` is the account of the person, when they have one."""
    if not access.can_edit_bodies(user, session.body.region_id):
        raise BodyError("Vous ne pouvez pas tenir la feuille de présence de cette séance.")
    return Attendance.objects.create(
        session=session,
        member_role=member_role,
        organisation=organisation.strip(),
        presence=presence,
        name=name.strip(),
        user=member,
    )


def add_decision(session: Session, user, text: str) -> Decision:
    if not access.can_edit_bodies(user, session.body.region_id):
        raise BodyError("Vous ne pouvez pas enregistrer de décision pour cette séance.")
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        last = Decision.objects.filter(session=session).aggregate(last=Max("number"))["last"] or 0
        decision = Decision.objects.create(session=session, number=last + 1, text=text.strip())
    audit.record(user, "crefop.decision", decision, detail=f"décision n° {decision.number}")
    return decision


def add_follow_up(
    decision: Decision,
    user,
    plan: ActionPlan,
    title: str,
    owner: str,
    due_date: dt.date,
    action: Action | None = None,
) -> FollowUp:
    """A follow-up action of a decision, linked to a plan of the same région (and, if given, one of its actions)."""
    region = decision.session.body.region_id
    if not access.can_edit_bodies(user, region):
        raise BodyError("Vous ne pouvez pas créer d’action de suivi pour cette décision.")
    if plan.region_id != region:
        raise BodyError("Choisissez le plan d’action de la région de l’instance.")
    if action is not None and action.objective.axis.plan_id != plan.pk:
        raise BodyError("L’action choisie n’appartient pas à ce plan.")
    follow_up = FollowUp.objects.create(
        decision=decision,
        plan=plan,
        action=action,
        title=title.strip(),
        owner=owner.strip(),
        due_date=due_date,
    )
    audit.record(user, "crefop.follow_up", follow_up, detail=follow_up.title[:500])
    return follow_up


def set_follow_up_status(follow_up: FollowUp, user, status: str, comment: str = "") -> FollowUp:
    if not access.can_edit_bodies(user, follow_up.plan.region_id):
        raise BodyError("Vous ne pouvez pas mettre à jour cette action de suivi.")
    if status not in FollowUpStatus.values:
        raise BodyError("État inconnu.")
    follow_up.status = status
    follow_up.done_at = timezone.now() if status == FollowUpStatus.FAIT else None
    if comment.strip():
        follow_up.comment = comment.strip()
    follow_up.save(update_fields=["status", "done_at", "comment"])
    audit.record(user, "crefop.follow_up.status", follow_up, detail=follow_up.get_status_display())
    return follow_up


def open_follow_ups(user, today: dt.date | None = None) -> QuerySet[FollowUp]:
    """The follow-up actions not done yet of the bodies the user reads, by due date: the overdue ones (due before
    `today`, annotated `overdue`) therefore come first, the oldest first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            status__in=OPEN_FOLLOW_UP, decision__session__body__region__in=access.body_regions(user)
        )
        .annotate(
            overdue=Case(
                When(due_date__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("decision__session__body", "plan", "action__objective__axis")
        .order_by("due_date", "pk")
    )
