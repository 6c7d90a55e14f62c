"""The channels by which a person and a structure are in touch (`canal`): one code list for the first-contact log
(how the contact took place), the referral (how the person wants to be reached, how an appointment takes place).

Each code has its label (`Canal.label`) and a description (`CANAL_DESCRIPTIONS`). An app that offers only some
channels, or words them for its own sentence, takes the codes from here (`spro/referrals/vocabularies.py`). Codes
are stored and never renamed: add new ones.
"""

from __future__ import annotations

from django.db import models


class Canal(models.TextChoices):
    SUR_PLACE = "sur-place", "Accueil sur place"
    TELEPHONE = "telephone", "Téléphone"
    VISIO = "visio", "Visioconférence"
    COURRIEL = "courriel", "Courriel"
    CHAT = "chat", "Messagerie instantanée (chat)"
    EVENEMENT = "evenement", "Salon, forum ou événement"


CANAL_DESCRIPTIONS: dict[str, str] = {
    "sur-place": "En personne, dans les locaux de la structure.",
    "telephone": "Par téléphone.",
    "visio": "Par visioconférence (image et son).",
    "courriel": "Par courriel.",
    "chat": "Par messagerie instantanée, sur un site ou une application.",
    "evenement": "Lors d’un salon, d’un forum ou d’un autre événement hors des locaux.",
}

assert set(CANAL_DESCRIPTIONS) == set(Canal.values)  # import-time check
