"""Every status change of a referral, declared in one place and applied by one function.

    nouvelle ──voir──▶ vue
    nouvelle, vue ──accepter (rendez-vous)──▶ acceptee ──cloturer (issue)──▶ cloturee
    nouvelle, vue ──refuser (motif)──▶ refusee
    nouvelle, vue ──expirer (système, après SPRO_REFERRAL_EXPIRY_DAYS)──▶ expiree
    nouvelle, vue, acceptee ──retirer (la personne)──▶ retiree
    acceptee ──replanifier (conseiller; nouveau rendez-vous)──▶ acceptee
    acceptee ──confirmer-rdv | deplacer-rdv (la personne)──▶ acceptee

The last three keep the status: they are declared and logged like the others. The person's two are idempotent (a
second confirmation, or a second request to move the same appointment, writes nothing and sends nothing).

`apply()` locks the referral row, checks the transition against `TRANSITIONS` and its actor, fills the fields the
target status requires (the database constraints check them again), writes the `ReferralTransition` and the
notifications to the outbox, all in one transaction: either everything is written or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.utils import timezone

from spro.core.text import clean_text
from spro.referrals.models import MESSAGE_MAX_LENGTH, Referral, ReferralTransition, Status
from spro.referrals.signals import referral_changed
from spro.referrals.vocabularies import AppointmentChannel, DeclineReason, Outcome

Actor = Literal["conseiller", "personne", "systeme"]


class WorkflowError(ValueError):
    """A transition that cannot be applied; the message is French and shown as is to the user."""


class IllegalTransition(WorkflowError):
    pass


class MissingInformation(WorkflowError):
    pass


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    actor: Actor
    label: str


TRANSITIONS: dict[str, Transition] = {
    "voir": Transition(frozenset({Status.NOUVELLE}), Status.VUE, "conseiller", "Marquer comme vue"),
    "accepter": Transition(
        frozenset({Status.NOUVELLE, Status.VUE}),
        Status.ACCEPTEE,
        "conseiller",
        "Accepter et proposer un rendez-vous",
    ),
    "refuser": Transition(frozenset({Status.NOUVELLE, Status.VUE}), Status.REFUSEE, "conseiller", "Refuser"),
    "cloturer": Transition(frozenset({Status.ACCEPTEE}), Status.CLOTUREE, "conseiller", "Clôturer"),
    "expirer": Transition(frozenset({Status.NOUVELLE, Status.VUE}), Status.EXPIREE, "systeme", "Expirer"),
    "retirer": Transition(
        frozenset({Status.NOUVELLE, Status.VUE, Status.ACCEPTEE}), Status.RETIREE, "personne", "Retirer"
    ),
    "replanifier": Transition(
        frozenset({Status.ACCEPTEE}), Status.ACCEPTEE, "conseiller", "Proposer un autre rendez-vous"
    ),
    "confirmer-rdv": Transition(
        frozenset({Status.ACCEPTEE}), Status.ACCEPTEE, "personne", "Confirmer le rendez-vous"
    ),
    "deplacer-rdv": Transition(
        frozenset({Status.ACCEPTEE}), Status.ACCEPTEE, "personne", "Demander un autre rendez-vous"
    ),
}

#: Actions that set an appointment (the conseiller proposes one).
APPOINTMENT_ACTIONS = frozenset({"accepter", "replanifier"})

#: Statuses in which the structure still has something to do or the person can still withdraw.
OPEN_STATUSES = frozenset({Status.NOUVELLE, Status.VUE, Status.ACCEPTEE})


@dataclass(frozen=True)
class Appointment:
    at: dt.datetime
    channel: str
    place: str = ""


def allowed_actions(referral: Referral, actor: Actor) -> list[str]:
    """The actions `actor` may apply to `referral` now (to show only the buttons that will work)."""
    return [
        name
        for name, rule in TRANSITIONS.items()
        if rule.actor == actor and referral.status in rule.sources and not referral.is_anonymised
    ]


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def _check_actor(rule: Transition, user, by_person: bool) -> None:
    if rule.actor == "conseiller" and (user is None or by_person):
        raise IllegalTransition(
            "Cette action est réservée à un conseiller ou une conseillère de la structure."
        )
    if rule.actor == "personne" and (not by_person or user is not None):
        raise IllegalTransition("Seule la personne elle-même peut faire cette action sur sa demande.")
    if rule.actor == "systeme" and (by_person or user is not None):
        raise IllegalTransition("Cette transition est faite automatiquement par la plateforme.")


def apply(
    referral: Referral,
    action: str,
    *,
    user=None,
    by_person: bool = False,
    reason: str = "",
    note: str = "",
    appointment: Appointment | None = None,
) -> Referral:
    """Apply `action` to `referral` and return the updated row; raise `WorkflowError` and write nothing if refused."""
    from spro.referrals import notifications  # notifications import the workflow's labels

    rule = TRANSITIONS.get(action)
    if rule is None:
        raise IllegalTransition(f"Action inconnue : {action!r}.")
    _check_actor(rule, user, by_person)
    note = clean_text(note, multiline=True)
    if len(note) > MESSAGE_MAX_LENGTH:
        raise MissingInformation(f"La note ne doit pas dépasser {MESSAGE_MAX_LENGTH} caractères.")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("structure").get(pk=referral.pk)
        if locked.is_anonymised:
            raise IllegalTransition(
                "Les données de cette demande ont été supprimées : elle ne peut plus changer."
            )
        if locked.status not in rule.sources:
            raise IllegalTransition(
                f"Une demande « {_status_label(locked.status)} » ne peut pas passer à "
                f"« {_status_label(rule.target)} »."
            )
        if action in APPOINTMENT_ACTIONS:
            if appointment is None or appointment.at is None:
                raise MissingInformation("Proposez un rendez-vous (date et heure) pour accepter la demande.")
            if appointment.channel not in AppointmentChannel.values:
                raise MissingInformation("Indiquez comment se passera le rendez-vous.")
            if appointment.channel == AppointmentChannel.SUR_PLACE and not appointment.place.strip():
                raise MissingInformation("Indiquez le lieu du rendez-vous.")
            locked.appointment_at = appointment.at
            locked.appointment_channel = appointment.channel
            locked.appointment_place = clean_text(appointment.place)[:300]
            locked.appointment_confirmed_at = None
            locked.appointment_change_requested_at = None
        elif action == "confirmer-rdv":
            if locked.appointment_confirmed_at is not None:
                return locked  # already confirmed: nothing more to write or send
            if locked.appointment_at is None or locked.appointment_at <= timezone.now():
                raise IllegalTransition("Ce rendez-vous est déjà passé : il ne peut plus être confirmé.")
            locked.appointment_confirmed_at = timezone.now()
            locked.appointment_change_requested_at = None
        elif action == "deplacer-rdv":
            if locked.appointment_change_requested_at is not None:
                return locked  # already asked: the structure has been told once
            locked.appointment_change_requested_at = timezone.now()
            locked.appointment_confirmed_at = None
        elif rule.target == Status.REFUSEE:
            if reason not in DeclineReason.values:
                raise MissingInformation("Choisissez le motif du refus.")
            if reason == DeclineReason.AUTRE and not note:
                raise MissingInformation("Précisez le motif du refus dans la note.")
            locked.decline_reason = reason
        elif rule.target == Status.CLOTUREE:
            if reason not in Outcome.values:
                raise MissingInformation("Choisissez l’issue de la demande pour la clôturer.")
            if reason == Outcome.AUTRE and not note:
                raise MissingInformation("Précisez l’issue dans la note.")
            locked.outcome = reason
        from_status = locked.status
        locked.status = rule.target
        locked.save()
        transition = ReferralTransition.objects.create(
            referral=locked,
            from_status=from_status,
            to_status=rule.target,
            by_user=user,
            by_person=by_person,
            reason=reason or action,
            note=note,
        )
        referral_changed.send(
            sender=Referral, referral=locked, from_status=from_status, to_status=rule.target, at=transition.at
        )
        notifications.on_transition(locked, action)
    referral.refresh_from_db()
    return locked


def log_event(referral: Referral, *, reason: str, user=None, by_person: bool = False, note: str = "") -> None:
    """An entry of the log that changes no status (creation excepted): data erased, referral sent onward…"""
    ReferralTransition.objects.create(
        referral=referral,
        from_status=referral.status if reason != "creation" else "",
        to_status=referral.status,
        by_user=user,
        by_person=by_person,
        reason=reason,
        note=note,
    )
