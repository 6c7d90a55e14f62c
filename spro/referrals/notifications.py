"""The e-mails a referral sends, written to the outbox inside the transaction of the change.

Minimisation: e-mails to a structure never carry the person's data (they point to the professional space, where
reading is logged); e-mails to the person are sent only when they chose e-mail as their contact channel, and each
one repeats their personal follow link (absolute, from SPRO_SITE_URL).

A structure whose record has no e-mail is told through its members: one message to each active member who has an
e-mail address, so that no request waits unseen.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from spro.referrals import conf, outbox, tokens
from spro.referrals.models import Referral, Status
from spro.referrals.vocabularies import AppointmentChannel, ContactChannel, DeclineReason, Outcome

SIGNATURE = "\n\n--\nService public régional de l’orientation\nCe message est envoyé automatiquement."


def _pro_url(referral: Referral) -> str:
    return f"{conf.site_url()}/pro/orientations/{referral.public_id}"


def structure_recipients(structure) -> list[str]:
    """The structure's e-mail, or else the e-mails of its active members (each once, in a stable order)."""
    if structure.courriel:
        return [structure.courriel]
    emails = (
        get_user_model()
        .objects.filter(memberships__structure=structure, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))


def _to_structure(referral: Referral, subject: str, body: str) -> None:
    for to in structure_recipients(referral.structure):
        outbox.enqueue(to, subject, body, referral=referral)


def follow_url(referral: Referral) -> str:
    """The person's follow link, absolute; "" when it cannot be written again (deleted, older rule)."""
    token = tokens.current_follow_token(referral)
    return f"{conf.site_url()}{reverse('referrals:suivi', args=[token])}" if token else ""


def _to_person(referral: Referral) -> str:
    if referral.contact_channel != ContactChannel.EMAIL or referral.is_anonymised:
        return ""
    return referral.contact_value


def _when(value) -> str:
    """In French whatever language the current thread has active (the worker, a test, an English page)."""
    with translation.override("fr"):
        return date_format(timezone.localtime(value), "l j F Y à H\\hi")


def on_created(referral: Referral, follow_url: str | None) -> None:
    structure = referral.structure
    _to_structure(
        referral,
        "Nouvelle demande de mise en relation",
        f"Bonjour,\n\nUne personne demande à être contactée par {structure.nom}.\n"
        f"Sans réponse, la demande expirera le {_when(referral.expires_at)}.\n\n"
        f"Consultez-la dans votre espace professionnel : {_pro_url(referral)}" + SIGNATURE,
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


def _appointment(referral: Referral) -> str:
    channel = AppointmentChannel(referral.appointment_channel).label.lower()
    place = f" ({referral.appointment_place})" if referral.appointment_place else ""
    return f"le {_when(referral.appointment_at)}, {channel}{place}"


def _person_update(referral: Referral, action: str = "") -> str | None:
    structure = referral.structure.nom
    if action == "replanifier":
        return f"{structure} vous propose un autre rendez-vous : {_appointment(referral)}."
    if referral.status == Status.VUE:
        return f"{structure} a lu votre demande et vous recontactera."
    if referral.status == Status.ACCEPTEE:
        return (
            f"{structure} accepte votre demande et vous propose un rendez-vous {_appointment(referral)}.\n"
            "Avec votre lien personnel, vous pouvez confirmer ce rendez-vous ou demander à le déplacer."
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
        _to_structure(
            referral,
            "Demande de mise en relation retirée",
            f"Bonjour,\n\nLa personne a retiré sa demande {referral.public_id} : ne la contactez pas. "
            f"Ses données ont été effacées." + SIGNATURE,
        )
        return
    if action in ("confirmer-rdv", "deplacer-rdv"):
        confirmed = action == "confirmer-rdv"
        _to_structure(
            referral,
            "Rendez-vous confirmé par la personne" if confirmed else "Demande d’un autre rendez-vous",
            "Bonjour,\n\n"
            + (
                f"La personne confirme le rendez-vous du {_when(referral.appointment_at)}."
                if confirmed
                else f"La personne demande à déplacer le rendez-vous du {_when(referral.appointment_at)} : "
                "proposez-lui un autre rendez-vous."
            )
            + f"\n\nVoir la demande dans votre espace professionnel : {_pro_url(referral)}"
            + SIGNATURE,
        )
        return
    text = _person_update(referral, action)
    to = _to_person(referral)
    if text and to:
        link = follow_url(referral)
        follow = (
            f"Suivez votre demande, répondez au rendez-vous, retirez-la ou supprimez vos données avec votre lien "
            f"personnel (ne le transmettez pas) :\n{link}"
            if link
            else "Retrouvez le suivi de votre demande avec le lien personnel reçu lors de votre demande."
        )
        outbox.enqueue(
            to,
            f"Votre demande auprès de {referral.structure.nom} : {referral.get_status_display().lower()}"[
                :200
            ],
            f"Bonjour {referral.first_name},\n\n{text}\n\n{follow}" + SIGNATURE,
            referral=referral,
            to_person=True,
        )
