"""The accompaniment's own code lists: its status, its outcome, where it came from, and the events of its log.

Codes are stored and counted: add new ones, never rename one. The CEP's levels, stages and outcomes are in
`spro/accompaniment/cep.py`.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    OUVERT = "ouvert", "Ouvert"
    CLOS = "clos", "Clos"


class Origin(models.TextChoices):
    """How the accompaniment began: from a referral, on the spot (the person present, consent recorded), or handed
    over by another structure (consent recorded)."""

    ORIENTATION = "orientation", "À partir d’une demande de mise en relation"
    SUR_PLACE = "sur-place", "Ouvert sur place, avec l’accord de la personne"
    RELAIS = "relais", "Relais d’une autre structure, avec l’accord de la personne"


class Outcome(models.TextChoices):
    """How an accompaniment ended (required to close it; kept after anonymisation for the statistics)."""

    EMPLOI = "emploi", "Accès ou retour à l’emploi"
    FORMATION = "formation", "Entrée en formation"
    PROJET_DEFINI = "projet-defini", "Projet professionnel défini"
    CREATION = "creation-activite", "Création ou reprise d’activité"
    RELAIS = "relais", "Relais vers une autre structure"
    FIN_DEMANDEE = "fin-demandee", "Fin demandée par la personne"
    SANS_NOUVELLES = "sans-nouvelles", "La personne ne donne plus de nouvelles"
    AUTRE = "autre", "Autre issue"


#: The outcomes a conseiller chooses in the close form (« relais » is set by a hand-over only).
CLOSE_CHOICES = [(code, label) for code, label in Outcome.choices if code != Outcome.RELAIS]


class EventKind(models.TextChoices):
    """The entries of an accompaniment's log."""

    OUVERTURE = "ouverture", "Ouverture"
    RELAIS_RECU = "relais-recu", "Reçu en relais"
    RELAIS = "relais", "Passé en relais"
    CLOTURE = "cloture", "Clôture"
    ANONYMISATION = "anonymisation", "Anonymisation"
