"""The fixed choices of the users' view (docs/avis.md): services asked about, scores, reasons, follow-up answers.

Codes are stored and never renamed: add new ones. Each code has a label and a description (shown as the hint of the
checkbox or radio button); no free text is ever asked.
"""

from __future__ import annotations

from django.db import models


class ServiceKind(models.TextChoices):
    """The service the person gives an opinion on."""

    REPONSE = "reponse", "Première réponse personnalisée"
    ORIENTATION = "orientation", "Mise en relation avec une structure"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement par une structure"


class Score(models.IntegerChoices):
    TRES_INSATISFAIT = 1, "1 – Pas du tout satisfait·e"
    INSATISFAIT = 2, "2 – Peu satisfait·e"
    MOYEN = 3, "3 – Moyennement satisfait·e"
    SATISFAIT = 4, "4 – Satisfait·e"
    TRES_SATISFAIT = 5, "5 – Très satisfait·e"


class Reason(models.TextChoices):
    CLAIR = "clair", "C’était clair"
    UTILE = "utile", "J’ai appris quelque chose d’utile"
    RAPIDE = "rapide", "C’était rapide"
    PAS_CLAIR = "pas-clair", "Ce n’était pas clair"
    PAS_ADAPTE = "pas-adapte", "Ce n’était pas adapté à ma situation"
    TROP_LONG = "trop-long", "C’était trop long"


REASON_DESCRIPTIONS: dict[str, str] = {
    "clair": "Les informations ou les échanges étaient faciles à comprendre.",
    "utile": "Vous savez mieux quoi faire ou à qui vous adresser.",
    "rapide": "Vous avez eu une réponse sans attendre trop longtemps.",
    "pas-clair": "Des mots, des étapes ou des informations étaient difficiles à comprendre.",
    "pas-adapte": "La réponse ne correspondait pas à votre âge, votre commune ou votre projet.",
    "trop-long": "L’attente ou les démarches ont pris trop de temps.",
}
assert set(REASON_DESCRIPTIONS) == set(Reason.values)  # import-time check


class FollowUpKind(models.IntegerChoices):
    """When the follow-up question is asked, in months after the referral."""

    TROIS_MOIS = 3, "3 mois"
    SIX_MOIS = 6, "6 mois"


class Outcome(models.TextChoices):
    """Where the person stands, 3 or 6 months after the referral."""

    FORMATION = "formation", "En formation"
    EMPLOI = "emploi", "En emploi"
    ACCOMPAGNE = "accompagne", "Accompagné·e par une structure"
    RECHERCHE = "recherche", "En recherche"
    AUTRE = "autre", "Autre situation"
    NE_PLUS_CONTACTER = "ne-plus-contacter", "Je ne souhaite plus être recontacté·e"


OUTCOME_DESCRIPTIONS: dict[str, str] = {
    "formation": "Vous suivez une formation, des études ou un apprentissage.",
    "emploi": "Vous travaillez, quel que soit le contrat.",
    "accompagne": "Une structure vous accompagne dans votre projet.",
    "recherche": "Vous cherchez une formation, un emploi ou votre voie.",
    "autre": "Une autre situation que celles-ci.",
    "ne-plus-contacter": "Nous ne vous écrirons plus ; votre réponse n’est pas comptée.",
}
assert set(OUTCOME_DESCRIPTIONS) == set(Outcome.values)  # import-time check

#: The consent wording for the follow-up, by version: a new wording gets a new version, old ones stay readable.
FOLLOW_UP_CONSENT_TEXTS: dict[str, str] = {
    "2026-12-v1": (
        "J’accepte d’être recontacté·e à 3 et 6 mois pour dire où j’en suis. Je recevrai au plus deux courriels, "
        "chacun avec un lien vers une seule question à choix ; ma réponse est gardée sans mon nom ni mon adresse. "
        "Je peux retirer mon accord à tout moment depuis ma page de suivi."
    ),
}
FOLLOW_UP_CONSENT_VERSION = "2026-12-v1"
