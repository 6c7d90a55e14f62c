"""The person's situation (`statut`, docs/contracts.md): one code list for the first-contact log, the answer's
profile, its routing rules and its statistics.

Each code has its label (`Statut.label`) and the description of who it covers (`STATUT_DESCRIPTIONS`). `non-renseigne`
is not a situation but its absence (the person does not say, or the text does not tell): a profile, a form or an API
request names one of the `KNOWN_STATUTS`; the log, the statistics and the rules also use `non-renseigne`. Codes are
stored and never renamed: add new ones.
"""

from __future__ import annotations

from django.db import models


class Statut(models.TextChoices):
    COLLEGIEN = "collegien", "Collégien ou collégienne"
    LYCEEN = "lyceen", "Lycéen ou lycéenne"
    ETUDIANT = "etudiant", "Étudiant ou étudiante"
    SALARIE = "salarie", "Salarié ou salariée"
    DEMANDEUR_EMPLOI = "demandeur-emploi", "Demandeur ou demandeuse d’emploi"
    INDEPENDANT = "independant", "Indépendant ou indépendante"
    SANS_ACTIVITE = "sans-activite", "Sans activité"
    NON_RENSEIGNE = "non-renseigne", "Non renseigné"


STATUT_DESCRIPTIONS: dict[str, str] = {
    "collegien": "Élève au collège, de la sixième à la troisième.",
    "lyceen": "Élève au lycée (général, technologique ou professionnel), de la seconde à la terminale.",
    "etudiant": "Inscrit dans l’enseignement supérieur : université, BTS, BUT, classe préparatoire, école.",
    "salarie": "Occupe un emploi salarié (CDI, CDD, intérim…).",
    "demandeur-emploi": "Sans emploi et en recherche d’emploi, inscrit ou non à France Travail.",
    "independant": "Travaille à son compte : indépendant, auto-entrepreneur, profession libérale.",
    "sans-activite": "Ni en emploi, ni en études, ni en recherche d’emploi (au foyer, par exemple).",
    "non-renseigne": "La situation n’est pas connue : la personne ne l’a pas dite, ou son texte ne la dit pas.",
}

#: The situations a person can state (every code but `non-renseigne`), in the vocabulary's order.
KNOWN_STATUTS: tuple[str, ...] = tuple(value for value in Statut.values if value != Statut.NON_RENSEIGNE)

assert set(STATUT_DESCRIPTIONS) == set(Statut.values)  # import-time check
