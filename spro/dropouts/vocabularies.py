"""The dropout lists' own code lists: the school status a young person left, their place in the PSAD's lists, and
the chain's work (issue 17 § 2): contact attempts, situations found, solutions, follow-ups, « droit au retour ».

Codes are stored and counted: add new ones, never rename one. Each code has its label and a description.
"""

from __future__ import annotations

from django.db import models

from spro.core.vocabularies.canaux import Canal


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


class ContactChannel(models.TextChoices):
    """How a contact was attempted. The codes shared with `spro.core.vocabularies.canaux.Canal` are taken from it
    (one code per channel across spro); the others are the chain's own (a letter, a text message, a visit…)."""

    TELEPHONE = Canal.TELEPHONE.value, "Téléphone"
    SMS = "sms", "SMS"
    COURRIEL = Canal.COURRIEL.value, "Courriel"
    COURRIER = "courrier", "Courrier postal"
    SUR_PLACE = Canal.SUR_PLACE.value, "Entretien dans les locaux"
    VISITE = "visite", "Visite à domicile"
    ETABLISSEMENT = "etablissement", "Par l’établissement d’origine"
    AUTRE = "autre", "Autre"


CONTACT_CHANNEL_DESCRIPTIONS: dict[str, str] = {
    "telephone": "Appel au numéro de la liste ou à un numéro obtenu depuis.",
    "sms": "Message texte envoyé au numéro de la liste.",
    "courriel": "Courriel à l’adresse de la liste ou obtenue depuis.",
    "courrier": "Lettre envoyée à l’adresse du jeune ou de son responsable légal.",
    "sur-place": "Le jeune est venu dans les locaux de la plateforme ou du partenaire (convocation, accueil).",
    "visite": "Déplacement au domicile du jeune.",
    "etablissement": "Par le dernier établissement fréquenté (CPE, professeur principal, CFA).",
    "autre": "Tout autre moyen (réseau d’un partenaire, famille…).",
}


class ContactResult(models.TextChoices):
    """What a contact attempt gave. `joint` and `refus_de_repondre` reach the young person; the others fail."""

    JOINT = "joint", "Jeune joint"
    PAS_DE_REPONSE = "pas_de_reponse", "Pas de réponse"
    MESSAGE_LAISSE = "message_laisse", "Message laissé"
    COORDONNEES_ERRONEES = "coordonnees_erronees", "Coordonnées erronées"
    REFUS_DE_REPONDRE = "refus_de_repondre", "Joint, refuse de répondre"


CONTACT_RESULT_DESCRIPTIONS: dict[str, str] = {
    "joint": "Le jeune (ou son responsable légal) a été joint et a échangé.",
    "pas_de_reponse": "Pas de réponse : appel sans réponse, courrier ou courriel resté sans suite.",
    "message_laisse": "Un message a été laissé (répondeur, SMS, courriel), sans réponse pour l’instant.",
    "coordonnees_erronees": "Numéro non attribué, adresse inconnue, courriel revenu en erreur.",
    "refus_de_repondre": "Le jeune a été joint mais ne souhaite pas échanger.",
}

#: Results that reach the young person: they end a run of failed attempts.
REACHED_RESULTS = frozenset({ContactResult.JOINT, ContactResult.REFUS_DE_REPONDRE})


class Situation(models.TextChoices):
    """The situation found when the young person (or their establishment, or a partner) is reached."""

    DEJA_EN_FORMATION = "deja_en_formation", "Déjà en formation"
    EN_EMPLOI = "en_emploi", "En emploi"
    AUTRE_SOLUTION = "autre_solution", "Dans une autre solution"
    SANS_SOLUTION = "sans_solution", "Sans solution"
    DEMENAGE = "demenage", "A déménagé hors de la zone"
    REFUS = "refus", "Refuse l’accompagnement"


SITUATION_DESCRIPTIONS: dict[str, str] = {
    "deja_en_formation": "Inscrit dans un établissement, un CFA ou une formation (retour ou inscription ailleurs).",
    "en_emploi": "A un emploi (CDD, CDI, intérim…).",
    "autre_solution": "Dans une autre solution : service civique, E2C, EPIDE, contrat d’engagement jeune…",
    "sans_solution": "Ni en formation, ni en emploi, ni dans une autre solution : à accompagner vers une solution.",
    "demenage": "A quitté la zone de la plateforme (à signaler à la plateforme de sa nouvelle zone).",
    "refus": "Ne souhaite pas être accompagné ; la situation est connue et respectée.",
}


class SolutionType(models.TextChoices):
    """The kind of solution a young person enters."""

    RETOUR_SCOLAIRE = "retour_scolaire", "Retour en formation initiale (scolaire)"
    APPRENTISSAGE = "apprentissage", "Apprentissage"
    FORMATION_CONTINUE = "formation_continue", "Formation professionnelle continue"
    E2C = "e2c", "École de la deuxième chance (E2C)"
    EPIDE = "epide", "EPIDE"
    SERVICE_CIVIQUE = "service_civique", "Service civique"
    CEJ = "cej", "Contrat d’engagement jeune (CEJ)"
    EMPLOI = "emploi", "Emploi"
    ACTION_MLDS_FOQUALE = "action_mlds_foquale", "Action de la MLDS ou du réseau FOQUALE"
    AUTRE = "autre", "Autre solution"


SOLUTION_TYPE_DESCRIPTIONS: dict[str, str] = {
    "retour_scolaire": "Retour dans un collège ou un lycée (droit au retour en formation, FOQUALE).",
    "apprentissage": "Contrat d’apprentissage signé, en CFA.",
    "formation_continue": "Formation professionnelle financée (Région, France Travail…) : qualifiante ou préparatoire.",
    "e2c": "Parcours dans une École de la deuxième chance.",
    "epide": "Parcours dans un centre de l’Établissement pour l’insertion dans l’emploi.",
    "service_civique": "Mission de service civique.",
    "cej": "Contrat d’engagement jeune avec la Mission locale ou France Travail.",
    "emploi": "Emploi (CDD, CDI, intérim, contrat aidé).",
    "action_mlds_foquale": "Action de la Mission de lutte contre le décrochage scolaire ou du réseau FOQUALE.",
    "autre": "Une autre solution : la préciser dans le libellé.",
}


class FollowUpOutcome(models.TextChoices):
    """What the follow-up at 3 or 6 months finds."""

    TOUJOURS_EN_SOLUTION = "toujours_en_solution", "Toujours dans la solution"
    AUTRE_SOLUTION = "autre_solution", "Dans une autre solution"
    SORTIE_SANS_SOLUTION = "sortie_sans_solution", "Sorti de la solution, sans solution"
    INJOIGNABLE = "injoignable", "Injoignable"


FOLLOW_UP_OUTCOME_DESCRIPTIONS: dict[str, str] = {
    "toujours_en_solution": "Le jeune est toujours dans la solution enregistrée.",
    "autre_solution": "Le jeune a quitté la solution pour une autre : enregistrer la nouvelle solution.",
    "sortie_sans_solution": "Le jeune a quitté la solution et n’en a pas d’autre : la solution est close à la date "
    "du suivi et le jeune revient dans la liste à contacter.",
    "injoignable": "Le jeune n’a pas pu être joint pour ce suivi ; la solution reste enregistrée.",
}


class FollowUpMonth(models.IntegerChoices):
    """When a follow-up is due: 3 and 6 months after the solution's start."""

    TROIS = 3, "Suivi à 3 mois"
    SIX = 6, "Suivi à 6 mois"


class ReturnStep(models.TextChoices):
    """Where a « droit au retour en formation » request stands (computed from its dates)."""

    DEMANDEE = "demandee", "Demande reçue"
    ENTRETIEN = "entretien", "Entretien tenu"
    OFFRE = "offre", "Offre faite"
    CLOSE = "close", "Close"


RETURN_STEP_DESCRIPTIONS: dict[str, str] = {
    "demandee": "La demande est enregistrée avec sa date ; un entretien doit être proposé.",
    "entretien": "L’entretien a eu lieu ; une offre de formation doit être faite.",
    "offre": "Une offre de formation a été faite ; la réponse du jeune est attendue.",
    "close": "La demande est close, avec son issue.",
}


class ReturnOutcome(models.TextChoices):
    """How a « droit au retour » request ended."""

    ENTREE_EN_FORMATION = "entree_en_formation", "Entrée en formation"
    OFFRE_REFUSEE = "offre_refusee", "Offre refusée"
    AUTRE_SOLUTION = "autre_solution", "Autre solution trouvée"
    ABANDON = "abandon", "Demande abandonnée"


RETURN_OUTCOME_DESCRIPTIONS: dict[str, str] = {
    "entree_en_formation": "Le jeune est entré dans la formation offerte (enregistrer aussi la solution).",
    "offre_refusee": "Le jeune a refusé l’offre faite.",
    "autre_solution": "Le jeune a trouvé une autre solution avant ou après l’offre.",
    "abandon": "Le jeune ne donne plus suite, ou n’est plus joignable.",
}

assert set(SCHOOL_STATUS_DESCRIPTIONS) == set(SchoolStatus.values)  # import-time check
assert set(PRIORITY_DESCRIPTIONS) == set(Priority.values)  # import-time check
assert set(CONTACT_CHANNEL_DESCRIPTIONS) == set(ContactChannel.values)  # import-time check
assert set(CONTACT_RESULT_DESCRIPTIONS) == set(ContactResult.values)  # import-time check
assert set(SITUATION_DESCRIPTIONS) == set(Situation.values)  # import-time check
assert set(SOLUTION_TYPE_DESCRIPTIONS) == set(SolutionType.values)  # import-time check
assert set(FOLLOW_UP_OUTCOME_DESCRIPTIONS) == set(FollowUpOutcome.values)  # import-time check
assert set(RETURN_STEP_DESCRIPTIONS) == set(ReturnStep.values)  # import-time check
assert set(RETURN_OUTCOME_DESCRIPTIONS) == set(ReturnOutcome.values)  # import-time check
