"""The dropout lists' own code lists: the school status a young person left, and their place in the PSAD's lists.

Codes are stored and counted: add new ones, never rename one. Each code has its label and a description.
"""

from __future__ import annotations

from django.db import models


class SchoolStatus(models.TextChoices):
    """`statut` of the import contract (docs/contracts.md): what the young person left."""

    SCOLAIRE = "scolaire", "Élève (scolaire)"
    APPRENTI = "apprenti", "Apprenti ou apprentie"


SCHOOL_STATUS_DESCRIPTIONS: dict[str, str] = {
    "scolaire": "A quitté un établissement scolaire (collège, lycée) sans diplôme, d’après la liste du SIEI.",
    "apprenti": "A quitté un contrat d’apprentissage ou un CFA sans diplôme (rupture, sortie de formation).",
}


class Priority(models.TextChoices):
    """Where the young person stands in the PSAD's lists (issue 17 § 1)."""

    A_CONTACTER = "a_contacter", "À contacter"
    PRIORITAIRE = "prioritaire", "Prioritaire (mineur soumis à l’obligation de formation)"
    INJOIGNABLE = "injoignable", "Injoignable"
    TRAITE = "traite", "Traité"


PRIORITY_DESCRIPTIONS: dict[str, str] = {
    "a_contacter": "Listé, pas encore joint : à contacter par la plateforme ou le partenaire désigné.",
    "prioritaire": (
        "Mineur de 16 à 18 ans, soumis à l’obligation de formation (loi du 26 juillet 2019, art. L114-1 du code "
        "de l’éducation) : à contacter en premier."
    ),
    "injoignable": "Les tentatives de contact n’ont pas abouti (coordonnées fausses, pas de réponse).",
    "traite": "La situation est connue : en solution, déjà en formation ou en emploi, ou refus exprimé.",
}

#: The statuses the import computes (age) and may change; `injoignable` and `traite` are set by the PSAD's work.
COMPUTED_PRIORITIES = (Priority.A_CONTACTER, Priority.PRIORITAIRE)

assert set(SCHOOL_STATUS_DESCRIPTIONS) == set(SchoolStatus.values)  # import-time check
assert set(PRIORITY_DESCRIPTIONS) == set(Priority.values)  # import-time check
