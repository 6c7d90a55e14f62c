"""The e-mails a referral sends, written to the outbox inside the transaction of the change.

Minimisation: e-mails to a structure never carry the person's data (they point to the professional space, where
reading is logged); e-mails to the person are sent only when they chose e-mail as their contact channel.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from . import conf, outbox
from .models import Referral, Status
from .vocabularies import AppointmentChannel, ContactChannel, DeclineReason, Outcome

SIGNATURE = "\n\n--\nService public régional de l’orientation\nCe message est envoyé automatiquement."


def _pro_url(referral: Referral) -> str:
    return f"{conf.site_url()}/pro/orientations/{referral.public_id}"


def _to_person(referral: Referral) -> str:
    if referral.contact_channel != ContactChannel.EMAIL or referral.is_anonymised:
        return ""
    return referral.contact_value


def _when(value) -> str:
    return date_format(timezone.localtime(value), "l j F Y à H\\hi")


def on_created(referral: Referral, follow_url: str | None) -> None:
    structure = referral.structure
    outbox.enqueue(
        structure.courriel,
        "Nouvelle demande de mise en relation",
        f"Bonjour,\n\nUne personne demande à être contactée par {structure.nom}.\n"
        f"Sans réponse, la demande expirera le {_when(referral.expires_at)}.\n\n"
        f"Consultez-la dans votre espace professionnel : {_pro_url(referral)}" + SIGNATURE,
        referral=referral,
    )
    to = _to_person(referral)
    if to and follow_url:
        outbox.enqueue(
            to,
            f"Votre demande de contact auprès de {structure.nom}"[:200],
            f"Bonjour {referral.first_name},\n\nVotre demande a bien été transmise à {structure.nom}.\n\n"
            f"Suivez-la, retirez-la ou supprimez vos données à tout moment avec ce lien personnel "
            f"(ne le transmettez pas) :\n{follow_url}\n\n"
            f"Ce lien est valable jusqu’au {_when(referral.follow_link_expires_at)}." + SIGNATURE,
            referral=referral,
            to_person=True,
        )


def _person_update(referral: Referral) -> str | None:
    structure = referral.structure.nom
    if referral.status == Status.VUE:
        return f"{structure} a lu votre demande et vous recontactera."
    if referral.status == Status.ACCEPTEE:
        channel = AppointmentChannel(referral.appointment_channel).label.lower()
        place = f" ({referral.appointment_place})" if referral.appointment_place else ""
        return (
            f"{structure} accepte votre demande et vous propose un rendez-vous le "
            f"{_when(referral.appointment_at)}, {channel}{place}."
        )
    if referral.status == Status.REFUSEE:
        return (
            f"{structure} ne peut pas donner suite à votre demande. Motif : "
            f"{DeclineReason(referral.decline_reason).label}.\n"
            f"Vous pouvez chercher une autre structure : {conf.site_url()}/structures"
        )
    if referral.status == Status.CLOTUREE:
        return f"{structure} a clôturé votre demande ({Outcome(referral.outcome).label.lower()})."
    if referral.status == Status.EXPIREE:
        return (
            f"{structure} n’a pas pu répondre à votre demande à temps : elle a expiré.\n"
            f"Vous pouvez chercher une autre structure : {conf.site_url()}/structures"
        )
    return None


def on_transition(referral: Referral, action: str) -> None:
    if referral.status == Status.RETIREE:
        outbox.enqueue(
            referral.structure.courriel,
            "Demande de mise en relation retirée",
            f"Bonjour,\n\nLa personne a retiré sa demande {referral.public_id} : ne la contactez pas. "
            f"Ses données ont été effacées." + SIGNATURE,
            referral=referral,
        )
        return
    text = _person_update(referral)
    to = _to_person(referral)
    if text and to:
        outbox.enqueue(
            to,
            f"Votre demande auprès de {referral.structure.nom} : {referral.get_status_display().lower()}"[
                :200
            ],
            f"Bonjour {referral.first_name},\n\n{text}\n\n"
            "Retrouvez le suivi de votre demande avec le lien personnel reçu lors de votre demande."
            + SIGNATURE,
            referral=referral,
            to_person=True,
        )
