"""The first-contact log's own vocabularies: coarse categories, chosen so that no combination identifies a person.

The log also records a channel, a `statut` and `besoins`, from the platform-wide vocabularies
(`spro.core.vocabularies.canaux`, `.statuts` and `.besoins`, shared with the referral and the answer).
"""

from __future__ import annotations

from django.db import models


class TrancheAge(models.TextChoices):
    MOINS_16 = "moins-16", "Moins de 16 ans"
    A_16_17 = "16-17", "16 à 17 ans"
    A_18_25 = "18-25", "18 à 25 ans"
    A_26_44 = "26-44", "26 à 44 ans"
    A_45_54 = "45-54", "45 à 54 ans"
    PLUS_55 = "55-plus", "55 ans et plus"
    NON_RENSEIGNE = "non-renseigne", "Non renseigné"


class Reponse(models.TextChoices):
    INFORMATION = "information", "Information donnée"
    DOCUMENTATION = "documentation", "Documentation ou outil en libre service remis"
    RENDEZ_VOUS = "rendez-vous", "Rendez-vous proposé dans la structure"
    ORIENTATION = "orientation", "Orientation vers une autre structure"
    ACCOMPAGNEMENT = "accompagnement", "Entrée en accompagnement"
