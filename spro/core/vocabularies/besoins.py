"""The platform-wide vocabulary of needs (`besoins`, docs/contracts.md): one code list for the first-contact log, the
referral and the first personalised answer, so that their statistics add up.

Each code has three texts: the label professionals read (`Besoin.label`), the description of what it covers
(`BESOIN_DESCRIPTIONS`, from docs/contracts.md), and the plain-language wording a person reads on the public forms
(`BESOIN_PUBLIC_LABELS`). Codes are stored and never renamed: add new ones.
"""

from __future__ import annotations

from django.db import models


class Besoin(models.TextChoices):
    DECOUVRIR_METIERS = "decouvrir-metiers", "Découvrir des métiers ou des secteurs"
    CHOISIR_FORMATION = "choisir-formation", "Choisir une formation"
    ALTERNANCE = "alternance", "Alternance (apprentissage, contrat de professionnalisation)"
    FINANCER_FORMATION = "financer-formation", "Financer une formation"
    VAE = "vae", "Validation des acquis de l’expérience (VAE)"
    EVOLUTION_PROFESSIONNELLE = "evolution-professionnelle", "Évolution professionnelle, reconversion, CEP"
    RECHERCHE_EMPLOI = "recherche-emploi", "Trouver un emploi"
    CREATION_ENTREPRISE = "creation-entreprise", "Créer ou reprendre une entreprise"
    RETOUR_FORMATION = "retour-formation", "Reprendre une formation après un décrochage"
    MOBILITE_INTERNATIONALE = "mobilite-internationale", "Étudier ou travailler à l’étranger"
    VIE_QUOTIDIENNE = "vie-quotidienne", "Vie quotidienne (logement, transport, santé, argent…)"
    HANDICAP = "handicap", "Handicap (RQTH, aménagements)"


BESOIN_DESCRIPTIONS: dict[str, str] = {
    "decouvrir-metiers": "Explorer des métiers ou des secteurs, ne sait pas encore quoi faire.",
    "choisir-formation": "Trouver une formation, un diplôme, une école (initiale ou continue).",
    "alternance": "Contrat d’apprentissage ou de professionnalisation.",
    "financer-formation": "CPF, Transitions Pro, aides de la Région ou de France Travail.",
    "vae": "Faire reconnaître son expérience par une certification.",
    "evolution-professionnelle": "Changer de métier, bilan de compétences, conseil en évolution professionnelle.",
    "recherche-emploi": "Trouver un emploi.",
    "creation-entreprise": "Créer ou reprendre une entreprise.",
    "retour-formation": "A quitté l’école sans qualification et veut ou doit y revenir.",
    "mobilite-internationale": "Étudier, se former ou travailler à l’étranger.",
    "vie-quotidienne": "Logement, transport, permis, argent, santé, aide sociale qui bloquent le projet.",
    "handicap": "Besoins liés au handicap : RQTH, travail ou formation adaptés.",
}

BESOIN_PUBLIC_LABELS: dict[str, str] = {
    "decouvrir-metiers": "Découvrir des métiers ou des secteurs",
    "choisir-formation": "Choisir une formation",
    "alternance": "Trouver une alternance (apprentissage, contrat de professionnalisation)",
    "financer-formation": "Financer une formation",
    "vae": "Faire valider son expérience (VAE)",
    "evolution-professionnelle": "Changer de métier, faire un bilan, évoluer",
    "recherche-emploi": "Trouver un emploi",
    "creation-entreprise": "Créer ou reprendre une entreprise",
    "retour-formation": "Reprendre des études après avoir quitté l’école sans diplôme",
    "mobilite-internationale": "Étudier, se former ou travailler à l’étranger",
    "vie-quotidienne": "Logement, transport, permis, argent, santé",
    "handicap": "Besoins liés à un handicap",
}

assert set(BESOIN_DESCRIPTIONS) == set(BESOIN_PUBLIC_LABELS) == set(Besoin.values)  # import-time check
