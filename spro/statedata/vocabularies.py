"""The State import's vocabularies (docs/donnees-etat.md): services, indicators. The territory levels are shared
with the register of good practices: `spro/core/vocabularies/territoires.py`.

Codes are stored: add, never rename. Each code has its label and a description shown on the pages and in the docs.
"""

from __future__ import annotations

from django.db import models


class Service(models.TextChoices):
    CIO = "cio", "CIO"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    MISSION_LOCALE = "mission_locale", "Mission locale"


SERVICE_DESCRIPTIONS = {
    "cio": "Centres d’information et d’orientation de l’Éducation nationale (élèves, étudiants, adultes).",
    "france_travail": "Agences France Travail : demandeurs d’emploi et personnes en recherche d’orientation.",
    "cap_emploi": "Cap emploi : accompagnement vers l’emploi des personnes en situation de handicap.",
    "mission_locale": "Missions locales : jeunes de 16 à 25 ans sortis du système scolaire.",
}


class Indicator(models.TextChoices):
    PERSONNES_ACCUEILLIES = "personnes_accueillies", "Personnes accueillies"
    PREMIERS_ACCUEILS = "premiers_accueils", "Premiers accueils"
    ENTRETIENS = "entretiens", "Entretiens"
    PERSONNES_ACCOMPAGNEES = "personnes_accompagnees", "Personnes accompagnées"
    ENTREES_FORMATION = "entrees_formation", "Entrées en formation"


INDICATOR_DESCRIPTIONS = {
    "personnes_accueillies": "Personnes différentes reçues au moins une fois sur la période (accueil physique, "
    "téléphonique ou à distance).",
    "premiers_accueils": "Personnes reçues pour la première fois par le service sur la période.",
    "entretiens": "Entretiens individuels tenus sur la période (une personne peut en avoir plusieurs).",
    "personnes_accompagnees": "Personnes en accompagnement suivi (parcours, contrat d’engagement…) sur la période.",
    "entrees_formation": "Entrées en formation qualifiante ou certifiante des personnes suivies sur la période.",
}
