"""Controlled vocabularies of the first-contact log: value, label and description, as docs/contracts.md fixes them.

`Statut` is docs/contracts.md's (plus "non renseigné"); `Besoin` is the platform-wide list of
`spro.core.vocabularies` (the referral and answer features use the same codes); `Canal`, `TrancheAge` and
`Reponse` are the log's own coarse categories, chosen so that no combination identifies a person.
"""

from __future__ import annotations

from django.db import models

from spro.core.vocabularies import BESOIN_DESCRIPTIONS, Besoin

__all__ = ["BESOIN_DESCRIPTIONS", "Besoin", "Canal", "Reponse", "Statut", "TrancheAge"]


class Canal(models.TextChoices):
    SUR_PLACE = "sur-place", "Accueil sur place"
    TELEPHONE = "telephone", "Téléphone"
    VISIO = "visio", "Visioconférence"
    COURRIEL = "courriel", "Courriel"
    CHAT = "chat", "Messagerie instantanée (chat)"
    EVENEMENT = "evenement", "Salon, forum ou événement"


class TrancheAge(models.TextChoices):
    MOINS_16 = "moins-16", "Moins de 16 ans"
    A_16_17 = "16-17", "16 à 17 ans"
    A_18_25 = "18-25", "18 à 25 ans"
    A_26_44 = "26-44", "26 à 44 ans"
    A_45_54 = "45-54", "45 à 54 ans"
    PLUS_55 = "55-plus", "55 ans et plus"
    NON_RENSEIGNE = "non-renseigne", "Non renseigné"


class Statut(models.TextChoices):
    """docs/contracts.md `statut`, plus "non renseigné" for a person who does not say."""

    COLLEGIEN = "collegien", "Collégien ou collégienne"
    LYCEEN = "lyceen", "Lycéen ou lycéenne"
    ETUDIANT = "etudiant", "Étudiant ou étudiante"
    SALARIE = "salarie", "Salarié ou salariée"
    DEMANDEUR_EMPLOI = "demandeur-emploi", "Demandeur ou demandeuse d’emploi"
    INDEPENDANT = "independant", "Indépendant ou indépendante"
    SANS_ACTIVITE = "sans-activite", "Sans activité"
    NON_RENSEIGNE = "non-renseigne", "Non renseigné"


class Reponse(models.TextChoices):
    INFORMATION = "information", "Information donnée"
    DOCUMENTATION = "documentation", "Documentation ou outil en libre service remis"
    RENDEZ_VOUS = "rendez-vous", "Rendez-vous proposé dans la structure"
    ORIENTATION = "orientation", "Orientation vers une autre structure"
    ACCOMPAGNEMENT = "accompagnement", "Entrée en accompagnement"
