"""Closed vocabularies of the referral: needs (docs/contracts.md `besoins`), decline reasons and outcomes.

Codes are stored; labels are shown. A code is never renamed (statistics and exports rely on it): add new ones.
"""

from __future__ import annotations

from django.db import models

from spro.core.vocabularies.besoins import BESOIN_PUBLIC_LABELS
from spro.core.vocabularies.canaux import Canal

#: The `besoins` vocabulary of docs/contracts.md (spro.core.vocabularies.besoins), with the label the public reads.
BESOINS: dict[str, str] = BESOIN_PUBLIC_LABELS


class ContactChannel(models.TextChoices):
    """How the person wants to be reached: two of the channels (spro.core.vocabularies.canaux), as labelled there."""

    EMAIL = Canal.COURRIEL.value, Canal.COURRIEL.label
    PHONE = Canal.TELEPHONE.value, Canal.TELEPHONE.label


class DeclineReason(models.TextChoices):
    """Why a structure declines a referral (required to decline, counted in the statistics)."""

    HORS_ZONE = "hors-zone", "La personne habite hors de notre zone de compétence"
    HORS_PUBLIC = "hors-public", "La demande ne correspond pas au public que nous accueillons"
    HORS_MISSION = "hors-mission", "La demande ne correspond pas à nos missions"
    COMPLET = "complet", "Nous ne pouvons pas accueillir de nouvelle personne pour le moment"
    INJOIGNABLE = "injoignable", "La personne n’a pas pu être jointe"
    DOUBLON = "doublon", "Demande en double"
    AUTRE = "autre", "Autre raison (précisée dans la note)"


class Outcome(models.TextChoices):
    """How an accepted referral ended (required to close it)."""

    ACCOMPAGNEMENT = "accompagnement", "Accompagnement engagé"
    ENTRETIEN = "entretien-realise", "Entretien réalisé, pas de suite nécessaire"
    REORIENTEE = "reorientee", "Personne orientée vers une autre structure"
    ABSENTE = "absente", "Personne absente au rendez-vous"
    ABANDON = "abandon", "La personne ne souhaite plus être accompagnée"
    AUTRE = "autre", "Autre issue (précisée dans la note)"


class AppointmentChannel(models.TextChoices):
    """How the proposed appointment takes place: three of the channels, worded to follow « Rendez-vous … »."""

    SUR_PLACE = Canal.SUR_PLACE.value, "Sur place"
    TELEPHONE = Canal.TELEPHONE.value, "Par téléphone"
    VISIO = Canal.VISIO.value, "En visioconférence"


#: Reason codes of the log entries written by the platform itself (workflow actions use their own name).
EVENT_LABELS: dict[str, str] = {
    "creation": "Demande envoyée par la personne",
    "orientation-par-conseiller": "Demande créée par un conseiller ou une conseillère (orientation)",
    "orientee-ailleurs": "Personne orientée vers une autre structure",
    "voir": "Demande lue",
    "accepter": "Rendez-vous proposé",
    "replanifier": "Autre rendez-vous proposé",
    "confirmer-rdv": "Rendez-vous confirmé par la personne",
    "deplacer-rdv": "La personne demande un autre rendez-vous",
    "expirer": "Sans réponse dans le délai",
    "retirer": "Demande retirée par la personne",
    "retrait-consentement": "Données effacées (consentement retiré)",
    "suppression-demandee": "Données effacées à la demande de la personne",
    "lien-supprime": "Lien de suivi désactivé à la demande de la personne",
    "duree-conservation": "Données effacées (fin de la durée de conservation)",
}


def reason_label(code: str) -> str:
    for vocabulary in (DeclineReason, Outcome):
        if code in vocabulary.values:
            return vocabulary(code).label
    return EVENT_LABELS.get(code, code)
