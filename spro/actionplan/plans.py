"""The action plan's life: the frozen copy of a version, recording it, approving it, publishing it, progress.

A version's `snapshot` is a JSON tree built from the plan when the version is recorded (`build_snapshot`); its
SHA-256 over the canonical JSON (`checksum`) is stored with it and with each approval, so that what a party
approved can be proven to be what is shown and exported. Exports and pages of a version read the snapshot only.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from spro import audit
from spro.actionplan import access
from spro.actionplan.models import (
    Action,
    ActionPlan,
    Approval,
    Axis,
    Indicator,
    Objective,
    PartyKind,
    PlanVersion,
)

SNAPSHOT_FORMAT = 1


class PlanError(ValueError):
    """A refused operation on the plan; the message is French and shown to the user."""


def number_text(value: Decimal | None) -> str | None:
    """A decimal as plain text without useless zeros (« 12,50 » is stored « 12.5 »); None stays None."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def plan_tree(plan: ActionPlan):
    """The plan's axes with their objectives, actions, pilots, indicators, targets and values prefetched."""
    indicators = Indicator.objects.prefetch_related("targets", "values")
    actions = Action.objects.prefetch_related("pilots", Prefetch("indicators", queryset=indicators))
    objectives = Objective.objects.prefetch_related(Prefetch("actions", queryset=actions))
    return Axis.objects.filter(plan=plan).prefetch_related(Prefetch("objectives", queryset=objectives))


def build_snapshot(plan: ActionPlan) -> dict[str, Any]:
    """The whole plan as plain JSON data (strings, numbers as text, lists in display order)."""
    axes = []
    for axis in plan_tree(plan):
        objectives = []
        for objective in axis.objectives.all():
            actions = []
            for action in objective.actions.all():
                actions.append(
                    {
                        "code": f"{axis.number}.{objective.number}.{action.number}",
                        "number": action.number,
                        "title": action.title,
                        "description": action.description,
                        "status": action.status,
                        "status_label": action.get_status_display(),
                        "progress": action.progress,
                        "progress_comment": action.progress_comment,
                        "pilots": [
                            {
                                "kind": pilot.kind,
                                "kind_label": pilot.get_kind_display(),
                                "label": pilot.label,
                                "structure": pilot.structure_id or "",
                                "lead": pilot.lead,
                            }
                            for pilot in action.pilots.all()
                        ],
                        "indicators": [
                            {
                                "label": indicator.label,
                                "unit": indicator.unit,
                                "source": indicator.source,
                                "baseline": number_text(indicator.baseline),
                                "baseline_year": indicator.baseline_year,
                                "targets": [
                                    {"year": t.year, "value": number_text(t.value)}
                                    for t in indicator.targets.all()
                                ],
                                "values": [
                                    {
                                        "period": v.period,
                                        "period_end": v.period_end.isoformat(),
                                        "value": number_text(v.value),
                                    }
                                    for v in indicator.values.all()
                                ],
                            }
                            for indicator in action.indicators.all()
                        ],
                    }
                )
            objectives.append(
                {
                    "code": f"{axis.number}.{objective.number}",
                    "number": objective.number,
                    "title": objective.title,
                    "description": objective.description,
                    "actions": actions,
                }
            )
        axes.append(
            {
                "code": str(axis.number),
                "number": axis.number,
                "title": axis.title,
                "description": axis.description,
                "objectives": objectives,
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "plan": {
            "title": plan.title,
            "region": plan.region_id,
            "region_name": plan.region.nom,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "introduction": plan.introduction,
        },
        "axes": axes,
    }


def checksum(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def actions_of(snapshot: dict[str, Any]):
    """Every action of a snapshot with its axis and objective: (axis, objective, action) triples."""
    for axis in snapshot.get("axes", []):
        for objective in axis.get("objectives", []):
            for action in objective.get("actions", []):
                yield axis, objective, action


def record_version(plan: ActionPlan, user, note: str = "") -> PlanVersion:
    """Freeze the plan as it is now into a new version (numbered 1, 2…)."""
    if not access.can_edit_plan(user, plan):
        raise PlanError("Seule l’équipe SPRO de la Région enregistre une version du plan.")
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        if not Axis.objects.filter(plan=locked).exists():
            raise PlanError(
                "Le plan ne contient encore aucun axe : ajoutez au moins un axe avant d’en figer une version."
            )
        snapshot = build_snapshot(locked)
        last = PlanVersion.objects.filter(plan=locked).aggregate(last=Max("number"))["last"] or 0
        version = PlanVersion.objects.create(
            plan=locked,
            number=last + 1,
            note=note.strip(),
            snapshot=snapshot,
            sha256=checksum(snapshot),
            created_by=user,
        )
        audit.record(user, "actionplan.version", version, detail=f"version {version.number} enregistrée")
    return version


def approve(version: PlanVersion, user, party: access.Party, comment: str = "") -> Approval:
    """Record `party`'s approval of `version` by `user` (once per party and version)."""
    if party not in access.approval_parties(user, version.plan):
        raise PlanError("Vous ne pouvez pas approuver ce plan au nom de cette partie.")
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                version=version,
                party_kind=party.kind,
                party_label=party.label,
                user=user,
                sha256=version.sha256,
                comment=comment.strip(),
            )
    except IntegrityError:
        raise PlanError(f"{party.label} a déjà approuvé la version {version.number}.") from None
    audit.record(user, "actionplan.approval", version, detail=f"approuvée pour {party.label}"[:500])
    return approval


def state_approved(version: PlanVersion) -> bool:
    return version.approvals.filter(party_kind=PartyKind.ETAT).exists()


def publish(version: PlanVersion, user) -> PlanVersion:
    """Publish a version approved by the State: it becomes the plan shown to the public and in open data."""
    if not access.can_edit_plan(user, version.plan):
        raise PlanError("Seule l’équipe SPRO de la Région publie une version du plan.")
    if version.published_at is not None:
        raise PlanError(f"La version {version.number} est déjà publiée.")
    if not state_approved(version):
        raise PlanError("Cette version doit d’abord être approuvée par le représentant de l’État.")
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["published_at", "published_by"])
    audit.record(user, "actionplan.publish", version, detail=f"version {version.number} publiée")
    return version


def published_version(plan: ActionPlan) -> PlanVersion | None:
    """The plan's latest published version (the one the public sees)."""
    return PlanVersion.objects.filter(plan=plan, published_at__isnull=False).order_by("-number").first()


def update_progress(action: Action, user, status: str, progress: int, comment: str) -> Action:
    action.status = status
    action.progress = progress
    action.progress_comment = comment.strip()
    action.progress_updated_at = timezone.now()
    action.save(update_fields=["status", "progress", "progress_comment", "progress_updated_at"])
    audit.record(user, "actionplan.progress", action, detail=f"{action.get_status_display()} {progress} %")
    return action
