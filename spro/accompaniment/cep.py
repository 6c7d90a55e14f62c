"""The vocabularies of the conseil en évolution professionnelle (CEP): its two levels of service, the stages of an
accompaniment and the outcomes it records (docs/cep.md, which cites the national specification: the cahier des
charges fixed by the arrêté du 29 mars 2019).

`Accompaniment.cep_level`, `cep_stage` and `cep_outcome` take their choices from here. Each code has its label
(`CepLevel.label`…) and the description of what it covers (`LEVEL_DESCRIPTIONS`, `STAGE_DESCRIPTIONS`,
`OUTCOME_DESCRIPTIONS`). Codes are stored and counted in the Region's coordination table (spro/accompaniment/stats.py):
never rename one, add new ones.
"""

from __future__ import annotations

from django.db import models


class CepLevel(models.TextChoices):
    """The two levels of the CEP's offer of service (cahier des charges 2019, part 2)."""

    ACCUEIL = "niveau-1", "Niveau 1 : accueil individualisé et information"
    ACCOMPAGNEMENT = "niveau-2", "Niveau 2 : accompagnement personnalisé"


LEVEL_DESCRIPTIONS: dict[str, str] = {
    "niveau-1": (
        "Accueil individualisé et adapté au besoin de la personne : elle exprime sa demande, comprend ce que le "
        "conseil en évolution professionnelle peut lui apporter, reçoit une première information sur les métiers, "
        "les démarches possibles et les acteurs qui peuvent l’aider, et décide de la suite."
    ),
    "niveau-2": (
        "Accompagnement personnalisé : la personne fait le point sur sa situation et ses compétences, construit avec "
        "le conseiller ou la conseillère un projet d’évolution professionnelle formalisé et un plan d’actions pour le "
        "mettre en œuvre, et peut être suivie pendant cette mise en œuvre."
    ),
}


class CepStage(models.TextChoices):
    """Where an accompaniment stands. The first stage is the level 1; the others are the level 2's steps."""

    ACCUEIL = "accueil", "Accueil et information"
    ANALYSE = "analyse-situation", "Point sur la situation et la demande"
    CONSTRUCTION = "construction-projet", "Construction du projet"
    FORMALISATION = "formalisation", "Projet formalisé et plan d’actions"
    MISE_EN_OEUVRE = "mise-en-oeuvre", "Mise en œuvre et suivi du plan d’actions"
    TERMINE = "termine", "Accompagnement terminé"


STAGE_DESCRIPTIONS: dict[str, str] = {
    "accueil": (
        "Niveau 1. La personne exprime sa demande, comprend les objectifs et le déroulement du conseil, reçoit une "
        "première information sur son environnement professionnel, les démarches et les acteurs possibles."
    ),
    "analyse-situation": (
        "Niveau 2. La personne clarifie sa demande et fait le point sur sa situation professionnelle, ses "
        "compétences (notamment celles qui peuvent servir ailleurs), ses motivations et ses contraintes."
    ),
    "construction-projet": (
        "Niveau 2. La personne construit son projet avec le conseiller ou la conseillère : pistes de métiers, "
        "informations sur le marché du travail, vérification de la faisabilité."
    ),
    "formalisation": (
        "Niveau 2. Le projet est écrit et la personne en a une trace : objectif, étapes, actions, financements "
        "possibles et acteurs à mobiliser (le plan d’actions)."
    ),
    "mise-en-oeuvre": (
        "Niveau 2. La personne met en œuvre son plan d’actions (formation, VAE, candidature, création d’activité…) "
        "et le conseiller ou la conseillère l’accompagne et fait le point avec elle."
    ),
    "termine": "L’accompagnement est terminé ; son issue est enregistrée.",
}

#: The level each stage belongs to (the first stage is level 1, every other one level 2; « terminé » closes either).
STAGE_LEVELS: dict[str, str | None] = {
    "accueil": CepLevel.ACCUEIL.value,
    "analyse-situation": CepLevel.ACCOMPAGNEMENT.value,
    "construction-projet": CepLevel.ACCOMPAGNEMENT.value,
    "formalisation": CepLevel.ACCOMPAGNEMENT.value,
    "mise-en-oeuvre": CepLevel.ACCOMPAGNEMENT.value,
    "termine": None,
}


class CepOutcome(models.TextChoices):
    """What the accompaniment led to, recorded when it ends (one outcome: the furthest one reached)."""

    PROJET_DEFINI = "projet-defini", "Projet défini"
    FORMATION = "formation-engagee", "Entrée en formation"
    VAE = "vae-engagee", "Démarche de VAE engagée"
    MOBILITE_INTERNE = "mobilite-interne", "Mobilité interne"
    CREATION_ACTIVITE = "creation-activite", "Création ou reprise d’activité"
    CHANGEMENT_EMPLOI = "changement-emploi", "Changement d’emploi ou de métier"
    SANS_SUITE = "sans-suite", "Sans suite"


OUTCOME_DESCRIPTIONS: dict[str, str] = {
    "projet-defini": "La personne a un projet d’évolution professionnelle formalisé, pas encore engagé.",
    "formation-engagee": "La personne est entrée en formation (CPF, projet de transition professionnelle, autre).",
    "vae-engagee": "La personne a engagé une démarche de validation des acquis de l’expérience.",
    "mobilite-interne": "La personne a changé de poste ou de fonction chez le même employeur.",
    "creation-activite": "La personne a créé ou repris une entreprise ou une activité indépendante.",
    "changement-emploi": "La personne a changé d’employeur ou de métier.",
    "sans-suite": (
        "L’accompagnement s’est arrêté sans projet engagé : la personne n’a pas donné suite, ou a choisi de rester "
        "dans sa situation."
    ),
}


def level_of_stage(stage: str) -> str | None:
    """The level a stage belongs to (None for « terminé », which closes either level); KeyError for an unknown code."""
    return STAGE_LEVELS[stage]


assert set(LEVEL_DESCRIPTIONS) == set(CepLevel.values)  # import-time checks
assert set(STAGE_DESCRIPTIONS) == set(STAGE_LEVELS) == set(CepStage.values)
assert set(OUTCOME_DESCRIPTIONS) == set(CepOutcome.values)
