"""Closed vocabularies of the pathway: goal kinds, origins, statuses, proposal states, shared parts, change kinds.

Codes are stored; labels are shown. A code is never renamed (exports and statistics rely on it): add new ones.
The focuses (axes), typical objectives and typical actions are *not* here: they are catalogues a Region edits as
YAML files (`spro/pathways/catalogue/`, see docs/parcours.md).
"""

from __future__ import annotations

from django.db import models


class GoalKind(models.TextChoices):
    METIER = "metier", "Un métier"
    FORMATION = "formation", "Une formation"
    PROJET = "projet", "Un projet"


class Origin(models.TextChoices):
    """Where the pathway was kept from."""

    ANSWER = "answer", "Première réponse"
    EXPLORER = "explorer", "Exploration des métiers"
    REFERRAL = "referral", "Suivi d’une mise en relation"
    DIRECT = "direct", "Créé directement"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement par une structure"


class ObjectiveStatus(models.TextChoices):
    EN_COURS = "en-cours", "En cours"
    ATTEINT = "atteint", "Atteint"
    ABANDONNE = "abandonne", "Abandonné"


class ActionStatus(models.TextChoices):
    A_FAIRE = "a-faire", "À faire"
    EN_COURS = "en-cours", "En cours"
    FAIT = "fait", "Fait"
    ABANDONNE = "abandonne", "Abandonné"


class ProposalState(models.TextChoices):
    """An objective or action written by the person is `accepted` at once; one a conseiller proposes waits."""

    ACCEPTED = "accepted", "Retenu"
    PROPOSED = "proposed", "Proposé, en attente de votre réponse"
    DECLINED = "declined", "Refusé"


class SharedPart(models.TextChoices):
    """What a share shows the structure (the goal is always shown: it is what the pathway is about)."""

    OBJECTIFS = "objectifs", "Les étapes (objectifs)"
    ACTIONS = "actions", "Les actions et leurs dates"
    RENDEZ_VOUS = "rendez-vous", "Les rendez-vous"
    JOURNAL = "journal", "L’historique des changements"


class ChangeKind(models.TextChoices):
    CREATED = "created", "Parcours créé"
    GOAL_CHANGED = "goal-changed", "But modifié"
    FOCUS_ADDED = "focus-added", "Axe ajouté"
    FOCUS_REMOVED = "focus-removed", "Axe retiré"
    OBJECTIVE_ADDED = "objective-added", "Étape ajoutée"
    OBJECTIVE_CHANGED = "objective-changed", "Étape modifiée"
    OBJECTIVE_STATUS = "objective-status", "Statut d’une étape changé"
    OBJECTIVES_REORDERED = "objectives-reordered", "Étapes réordonnées"
    ACTION_ADDED = "action-added", "Action ajoutée"
    ACTION_CHANGED = "action-changed", "Action modifiée"
    ACTION_STATUS = "action-status", "Statut d’une action changé"
    ACTIONS_REORDERED = "actions-reordered", "Actions réordonnées"
    PROPOSAL_MADE = "proposal-made", "Proposition d’une structure"
    PROPOSAL_ACCEPTED = "proposal-accepted", "Proposition acceptée"
    PROPOSAL_DECLINED = "proposal-declined", "Proposition refusée"
    SHARED = "shared", "Parcours partagé"
    SHARE_WITHDRAWN = "share-withdrawn", "Partage retiré"
    LINK_REGENERATED = "link-regenerated", "Lien privé renouvelé"
