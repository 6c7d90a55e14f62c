"""Registrations to a professionalisation event: capacity, waiting list, cancellation, attendance.

Every change locks the event's row first (`select_for_update`), so that two registrations for the last seat, or a
cancellation and a registration, are decided one after the other: the seat count read is the one written against.
The database guards the result too: a seat number is unique per event (`events_inscription_place_unique`), a
confirmed registration always has a seat and a waiting or cancelled one never has (`…_place_iff_confirmee`).
A cancellation that frees a seat gives it, in the same transaction, to the first of the waiting list (the
earliest `registered_at`), and queues the e-mail that tells them (`spro.core.mail.queue_email`, the outbox): the
seat and the e-mail are written together or not at all.

No training record is kept: attendance (present / absent) only. The employer keeps training prerogatives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from spro import audit
from spro.accounts.models import Membership
from spro.core.mail import queue_email
from spro.events import signals
from spro.events.models import EvenementPro, Inscription
from spro.events.vocabularies import Presence, StatutInscription


class RegistrationError(Exception):
    """A refused change, with its French message for the page."""


@dataclass(frozen=True)
class Outcome:
    inscription: Inscription
    promoted: Inscription | None = None  # the registration moved up from the waiting list, if any


def _site_url() -> str:
    from django.conf import settings

    return (getattr(settings, "SPRO_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def _locked_event(evenement: EvenementPro) -> EvenementPro:
    return EvenementPro.objects.select_for_update().get(pk=evenement.pk)


def _changing(event: EvenementPro) -> None:
    signals.registrations_changing.send(sender=EvenementPro, event_id=event.pk)


def _changed(event: EvenementPro) -> None:
    signals.registrations_changed.send(sender=EvenementPro, event_id=event.pk)


def _free_seat(evenement: EvenementPro) -> int | None:
    taken = set(
        Inscription.objects.filter(evenement=evenement, statut=StatutInscription.CONFIRMEE).values_list(
            "place", flat=True
        )
    )
    for seat in range(1, evenement.capacite + 1):
        if seat not in taken:
            return seat
    return None


def counts(evenement: EvenementPro) -> dict[str, int]:
    rows = Inscription.objects.filter(evenement=evenement)
    confirmed = rows.filter(statut=StatutInscription.CONFIRMEE).count()
    return {
        "confirmees": confirmed,
        "attente": rows.filter(statut=StatutInscription.ATTENTE).count(),
        "places_libres": max(evenement.capacite - confirmed, 0),
    }


def waiting_rank(inscription: Inscription) -> int | None:
    """1 for the first of the waiting list; None when not waiting."""
    if inscription.statut != StatutInscription.ATTENTE:
        return None
    waiting = Inscription.objects.filter(
        evenement_id=inscription.evenement_id, statut=StatutInscription.ATTENTE
    )
    order = list(waiting.order_by("registered_at", "id").values_list("pk", flat=True))
    return order.index(inscription.pk) + 1 if inscription.pk in order else None


def register(evenement: EvenementPro, user) -> Inscription:
    """Register `user`: a seat if one is free, else the end of the waiting list. Registering again while
    registered changes nothing; after a cancellation it registers anew (at the end of the list if full)."""
    now = timezone.now()
    with transaction.atomic():
        event = _locked_event(evenement)
        if event.annule:
            raise RegistrationError("Cet événement est annulé : les inscriptions sont fermées.")
        if event.debut <= now:
            raise RegistrationError("Cet événement a commencé : les inscriptions sont fermées.")
        existing = Inscription.objects.filter(evenement=event, user=user).first()
        if existing is not None and existing.statut != StatutInscription.ANNULEE:
            return existing
        _changing(event)
        seat = _free_seat(event)
        inscription = existing or Inscription(evenement=event, user=user)
        inscription.registered_at = now
        membership = Membership.objects.filter(user=user).order_by("pk").first()
        inscription.structure_id = membership.structure_id if membership else None
        inscription.cancelled_at = None
        inscription.presence = Presence.NON_RENSEIGNEE
        if seat is not None:
            inscription.statut, inscription.place, inscription.confirmed_at = (
                StatutInscription.CONFIRMEE,
                seat,
                now,
            )
        else:
            inscription.statut, inscription.place, inscription.confirmed_at = (
                StatutInscription.ATTENTE,
                None,
                None,
            )
        inscription.save()
        _changed(event)
        audit.record(user, "evenement_inscription", inscription, detail=inscription.statut)
        return inscription


def cancel(inscription: Inscription, *, by=None) -> Outcome:
    """Cancel a registration; a freed seat goes to the first of the waiting list, who is e-mailed."""
    now = timezone.now()
    with transaction.atomic():
        event = _locked_event(inscription.evenement)
        current = Inscription.objects.select_for_update().get(pk=inscription.pk)
        if current.statut == StatutInscription.ANNULEE:
            return Outcome(current)
        _changing(event)
        had_seat = current.statut == StatutInscription.CONFIRMEE
        current.statut, current.place, current.cancelled_at = StatutInscription.ANNULEE, None, now
        current.save(update_fields=["statut", "place", "cancelled_at"])
        audit.record(by or current.user, "evenement_desinscription", current)
        promoted = _promote_first_waiting(event, now) if had_seat and event.debut > now else None
        _changed(event)
        return Outcome(current, promoted)


def _promote_first_waiting(event: EvenementPro, now) -> Inscription | None:
    first = (
        Inscription.objects.select_for_update()
        .filter(evenement=event, statut=StatutInscription.ATTENTE)
        .order_by("registered_at", "id")
        .first()
    )
    seat = _free_seat(event)
    if first is None or seat is None:
        return None
    first.statut, first.place, first.confirmed_at = StatutInscription.CONFIRMEE, seat, now
    first.save(update_fields=["statut", "place", "confirmed_at"])
    audit.record(None, "evenement_liste_attente_promue", first)
    if first.user.email:
        url = _site_url() + reverse("events:pro-event", args=[event.pk])
        queue_email(
            first.user.email,
            f"Une place s’est libérée : {event.titre}",
            "Bonjour,\n\n"
            f"Une place s’est libérée pour « {event.titre} », le {timezone.localtime(event.debut):%d/%m/%Y à %H:%M}"
            f" ({event.lieu}). Vous étiez sur la liste d’attente : votre inscription est maintenant confirmée.\n\n"
            f"Si vous ne pouvez plus venir, annulez votre inscription pour laisser la place à une autre personne : "
            f"{url}\nL’invitation pour votre agenda s’y trouve aussi.\n",
        )
    return first


def record_attendance(evenement: EvenementPro, presences: dict[int, str], *, by) -> int:
    """Record present/absent for confirmed registrations (keys: registration ids). Returns how many changed."""
    unknown = [value for value in presences.values() if value not in Presence.values]
    if unknown:
        raise RegistrationError("Présence inconnue : choisissez présent, absent ou non renseignée.")
    changed = 0
    with transaction.atomic():
        _locked_event(evenement)  # figures retracted and added back with no other change in between
        _changing(evenement)
        rows = Inscription.objects.select_for_update().filter(
            evenement=evenement, statut=StatutInscription.CONFIRMEE, pk__in=list(presences)
        )
        for row in rows:
            if row.presence != presences[row.pk]:
                row.presence = presences[row.pk]
                row.save(update_fields=["presence"])
                changed += 1
        _changed(evenement)
        if changed:
            audit.record(by, "evenement_presences", evenement, detail=f"{changed} présence(s) enregistrée(s)")
    return changed


def cancel_event(evenement: EvenementPro, *, by) -> int:
    """Cancel the whole event (the Region's team): registrations close, and every registered or waiting person is
    e-mailed in the same transaction. Returns how many were told; cancelling twice tells nobody again."""
    with transaction.atomic():
        event = _locked_event(evenement)
        if event.annule:
            return 0
        event.annule = True
        event.save(update_fields=["annule"])
        audit.record(by, "evenement_annule", event)
        told = 0
        rows = Inscription.objects.filter(evenement=event).exclude(statut=StatutInscription.ANNULEE)
        for row in rows.select_related("user"):
            if row.user.email:
                queue_email(
                    row.user.email,
                    f"Événement annulé : {event.titre}",
                    "Bonjour,\n\n"
                    f"L’événement « {event.titre} » prévu le {timezone.localtime(event.debut):%d/%m/%Y à %H:%M}"
                    f" ({event.lieu}) est annulé. Votre inscription n’a plus d’objet : vous n’avez rien à faire.\n"
                    "Si vous l’aviez ajouté à votre agenda, l’invitation mise à jour le marque annulé : "
                    f"{_site_url() + reverse('events:pro-event-ics', args=[event.pk])}\n",
                )
                told += 1
    evenement.annule = True
    return told


def update_event(evenement: EvenementPro, changes: dict, *, by) -> list[Inscription]:
    """Change an event's details (the Region's team). The capacity may not go below the confirmed registrations;
    when it grows, the new seats go to the waiting list in order, each person e-mailed. Returns those promoted."""
    now = timezone.now()
    with transaction.atomic():
        event = _locked_event(evenement)
        confirmed = Inscription.objects.filter(evenement=event, statut=StatutInscription.CONFIRMEE).count()
        if changes.get("capacite", event.capacite) < confirmed:
            raise RegistrationError(
                f"{confirmed} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous. "
                "Annulez d’abord des inscriptions."
            )
        _changing(event)
        for field, value in changes.items():
            setattr(event, field, value)
        event.save()
        audit.record(by, "evenement_modifie", event, detail=", ".join(sorted(changes)))
        promoted = []
        if event.debut > now and not event.annule:
            while (row := _promote_first_waiting(event, now)) is not None:
                promoted.append(row)
        _changed(event)
    for field, value in changes.items():
        setattr(evenement, field, value)
    return promoted
