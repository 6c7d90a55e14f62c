"""The register's vocabularies (docs/bonnes-pratiques.md): kinds, themes, statuses, refusal reasons. The
territory levels are shared with the State figures: `spro/core/vocabularies/territoires.py`.

Codes are stored: add, never rename. Each code has its label and a description.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    BONNE_PRATIQUE = "bonne_pratique", "Bonne pratique"
    DIFFICULTE = "difficulte", "Difficulté"


class Theme(models.TextChoices):
    ACCUEIL = "accueil", "Accueil et premier contact"
    ORIENTATION = "orientation", "Orientation et conseil"
    PARTENARIAT = "partenariat", "Travail en réseau et partenariats"
    NUMERIQUE = "numerique", "Outils numériques et accès à distance"
    PUBLICS = "publics", "Publics spécifiques"
    DECROCHAGE = "decrochage", "Décrochage scolaire"
    FORMATION = "formation", "Accès à la formation"
    EMPLOI = "emploi", "Accès à l’emploi et entreprises"
    AUTRE = "autre", "Autre"


THEME_DESCRIPTIONS = {
    "accueil": "Conditions d’accueil, délais, premier entretien, information des personnes.",
    "orientation": "Conseil en évolution professionnelle, outils d’orientation, découverte des métiers.",
    "partenariat": "Coordination entre structures, orientation vers un partenaire, instances locales.",
    "numerique": "Rendez-vous à distance, outils en ligne, inclusion numérique.",
    "publics": "Personnes en situation de handicap, jeunes, seniors, personnes éloignées de l’emploi…",
    "decrochage": "Repérage, contact et solutions pour les jeunes sortis sans diplôme.",
    "formation": "Information sur l’offre, financement, entrée en formation.",
    "emploi": "Relations avec les entreprises, immersion, recrutement.",
    "autre": "Ce qui n’entre dans aucun autre thème.",
}


class Status(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à la Région"
    PUBLIEE = "publiee", "Publiée"
    REFUSEE = "refusee", "Refusée"


class RefusalReason(models.TextChoices):
    DONNEES_PERSONNELLES = "donnees_personnelles", "Contient des données personnelles"
    HORS_SUJET = "hors_sujet", "Hors du champ du SPRO"
    INCOMPLETE = "incomplete", "Description incomplète"
    DOUBLON = "doublon", "Déjà publiée"
    AUTRE = "autre", "Autre motif"


REFUSAL_DESCRIPTIONS = {
    "donnees_personnelles": "Le texte ou une pièce jointe permet d’identifier une personne : à retirer.",
    "hors_sujet": "La fiche ne concerne pas l’accueil, l’information ou l’orientation.",
    "incomplete": "Le contexte, ce qui a été fait ou le résultat manquent.",
    "doublon": "Une fiche publiée décrit déjà la même pratique ou difficulté.",
    "autre": "Précisé dans le commentaire de la Région.",
}
