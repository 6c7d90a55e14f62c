"""« Je cherche de l’aide pour… »: what a person needs, in words a 15-year-old reads, and the structure typologies
that help with it. The one vocabulary behind the `aide` parameter of `/structures` (docs/design/structures.md).

Each choice carries its value (the URL parameter, stable), its label (the sentence shown in the list), a description
(for whom and why; the docs and the tests read it) and the typologies it stands for (codes of
`spro.directory.vocabularies.typologies`, checked by the tests). A typology may belong to several choices; every
typology of the demonstration network belongs to at least one. The `typologie=<code>` parameter of the page and of
the API still filters on one typology: links such as the answer's « Chercher dans l’annuaire » use it. (Not to be
confused with `spro.aides`, the catalogue of schemes and financial aids.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpChoice:
    value: str
    label: str
    description: str
    typologies: tuple[str, ...]


CHOICES: tuple[HelpChoice, ...] = (
    HelpChoice(
        "orientation",
        "Choisir une orientation, des études (collège, lycée)",
        "Les centres d’information et d’orientation (CIO) de l’Éducation nationale, pour les élèves, leurs familles "
        "et toute personne qui se pose des questions d’études.",
        ("CIO",),
    ),
    HelpChoice(
        "jeunes-16-25",
        "Trouver un emploi, une formation, un logement quand on a 16 à 25 ans",
        "Les Missions locales accompagnent les 16–25 ans sortis de l’école : emploi, formation, logement, santé.",
        ("ML",),
    ),
    HelpChoice(
        "emploi",
        "Trouver un emploi",
        "France Travail et les maisons de l’emploi, pour toute personne qui cherche un travail.",
        ("FT", "MDE", "MDEF"),
    ),
    HelpChoice(
        "emploi-handicap",
        "Trouver un emploi avec un handicap",
        "Cap emploi accompagne vers l’emploi les personnes en situation de handicap.",
        ("CAP_EMPLOI",),
    ),
    HelpChoice(
        "handicap",
        "Faire reconnaître un handicap, demander une aide",
        "Les maisons départementales des personnes handicapées (MDPH) : reconnaissance du handicap et aides.",
        ("MDPH",),
    ),
    HelpChoice(
        "changer-de-metier",
        "Changer de métier, faire un bilan",
        "Le conseil en évolution professionnelle (CEP) des salariés et indépendants, et Transitions Pro, qui finance "
        "les projets de reconversion.",
        ("CEP", "TRANSITIONS_PRO"),
    ),
    HelpChoice(
        "reprendre-une-formation",
        "Reprendre une formation après avoir quitté l’école",
        "Pour les jeunes qui ont quitté l’école sans diplôme : la plateforme qui aide les jeunes à reprendre une "
        "formation (PSAD), les écoles de la 2e chance (E2C) et l’EPIDE.",
        ("PSAD", "E2C", "EPIDE"),
    ),
    HelpChoice(
        "vae",
        "Faire valider mon expérience (VAE)",
        "Le service de l’académie qui accompagne la validation des acquis de l’expérience (DAVA).",
        ("DAVA",),
    ),
    HelpChoice(
        "etudes-superieures",
        "Mes études supérieures (université)",
        "Les services d’orientation des universités (SCUIO), pour les étudiants et les futurs étudiants.",
        ("SCUIO",),
    ),
    HelpChoice(
        "information-jeunesse",
        "Information jeunesse (logement, santé, loisirs, mobilité)",
        "Les points et bureaux Info Jeunes, ouverts à tous les jeunes, sans rendez-vous.",
        ("PIJ_BIJ",),
    ),
    HelpChoice(
        "logement-jeune",
        "Me loger quand je travaille ou suis en formation",
        "Les foyers de jeunes travailleurs et résidences sociales.",
        ("RS_FJT",),
    ),
    HelpChoice(
        "cadre",
        "Cadre ou jeune diplômé·e",
        "L’Association pour l’emploi des cadres (APEC), pour les cadres et les jeunes diplômés (bac + 3 et plus).",
        ("APEC",),
    ),
    HelpChoice(
        "apprentissage-entreprise",
        "Trouver un apprentissage, créer mon entreprise",
        "Les chambres de commerce, de métiers et d’agriculture : apprentissage et création d’entreprise.",
        ("CCONS",),
    ),
    HelpChoice(
        "decouvrir-des-metiers",
        "Découvrir des métiers",
        "Les cités des métiers : information sur les métiers, ouverte à tous, sans rendez-vous.",
        ("CITMET",),
    ),
    HelpChoice(
        "aides-sociales",
        "Des aides pour vivre : argent, famille, démarches",
        "Les centres communaux d’action sociale (CCAS) et les caisses d’allocations familiales (CAF).",
        ("CCAS", "CIAS", "CAF"),
    ),
    HelpChoice(
        "region",
        "Les aides de la Région (formation, transport)",
        "Les services de la Région.",
        ("REG",),
    ),
)

BY_VALUE: dict[str, HelpChoice] = {choice.value: choice for choice in CHOICES}


def get(value: str) -> HelpChoice | None:
    return BY_VALUE.get(value)


def for_typologie(code: str) -> HelpChoice | None:
    """The first choice that stands for this typology (to preselect it when a link says `typologie=<code>`)."""
    return next((choice for choice in CHOICES if code in choice.typologies), None)
