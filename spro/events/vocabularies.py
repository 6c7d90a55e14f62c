"""The code lists of the events app: kinds of public agenda entry, publics, moderation statuses, kinds of
professionalisation event, registration statuses, attendance. Each code has its value and its label (`TextChoices`)
and a description. Codes are stored: add new ones, never rename.

The publics reuse the codes of the person's situation (`spro.core.vocabularies.statuts`) where one exists
(`salarie`, `demandeur-emploi`), so that an agenda entry for job seekers is found from a statut; `jeunes`, `adultes`
and `tous` are groups of people that the statut list does not have.
"""

from __future__ import annotations

from django.db import models

from spro.core.vocabularies.statuts import Statut


class TypeRendezVous(models.TextChoices):
    """The kinds of entry of the public agenda (issue 18 §5)."""

    FORUM = "forum", "Forum"
    SALON = "salon", "Salon"
    PORTES_OUVERTES = "portes-ouvertes", "Journée portes ouvertes"
    REUNION_INFORMATION = "reunion-information", "Réunion d’information"


TYPE_DESCRIPTIONS: dict[str, str] = {
    "forum": "Rencontre avec des employeurs, des écoles ou des structures d’orientation, souvent sur une journée.",
    "salon": "Grand rendez-vous sur les métiers, les formations ou l’emploi, avec de nombreux exposants.",
    "portes-ouvertes": "Un établissement ou une entreprise ouvre ses portes : visite, rencontre, questions.",
    "reunion-information": "Présentation d’un dispositif, d’une formation ou d’un métier, suivie de questions.",
}


class Public(models.TextChoices):
    """Who an agenda entry or a news item is for. `tous` is shown whatever the public chosen in the filter."""

    TOUS = "tous", "Tout public"
    JEUNES = "jeunes", "Jeunes"
    ADULTES = "adultes", "Adultes"
    SALARIES = Statut.SALARIE.value, "Salariés"
    DEMANDEURS_EMPLOI = Statut.DEMANDEUR_EMPLOI.value, "Demandeurs d’emploi"


PUBLIC_DESCRIPTIONS: dict[str, str] = {
    "tous": "Ouvert à toutes et à tous, quel que soit l’âge ou la situation.",
    "jeunes": "Collégiens, lycéens, étudiants et jeunes de 16 à 25 ans.",
    "adultes": "Adultes, quelle que soit leur situation.",
    "salarie": "Personnes en emploi qui pensent à évoluer ou à changer de métier.",
    "demandeur-emploi": "Personnes en recherche d’emploi, inscrites ou non à France Travail.",
}


class Moderation(models.TextChoices):
    """The life of a public entry (news or agenda): only `publiee` is public."""

    SOUMISE = "soumise", "En attente de relecture"
    PUBLIEE = "publiee", "Publiée"
    REFUSEE = "refusee", "Refusée"


class TypeEvenementPro(models.TextChoices):
    """The kinds of professionalisation event the Region organises for the network's professionals (what the
    steering breaks participation down by). A kind says the format, never a training record: attendance only."""

    FORMATION = "formation", "Formation"
    WEBINAIRE = "webinaire", "Webinaire"
    JOURNEE_RESEAU = "journee-reseau", "Séminaire ou journée du réseau"
    ATELIER = "atelier", "Atelier d’échange de pratiques"
    VISITE = "visite", "Visite d’entreprise ou d’établissement"
    FORUM_SALON = "forum-salon", "Forum ou salon"
    AUTRE = "autre", "Autre"


TYPE_EVENEMENT_DESCRIPTIONS: dict[str, str] = {
    "formation": "Session pour s’approprier un outil, un dispositif ou une méthode (ROME, CEP, repérage…).",
    "webinaire": "Présentation à distance, suivie de questions.",
    "journee-reseau": "Rencontre des professionnels de plusieurs réseaux : interconnaissance, culture commune.",
    "atelier": "Petit groupe qui travaille sur des situations ou des pratiques de terrain.",
    "visite": "Découverte d’une entreprise, d’un centre de formation ou d’un établissement, de ses métiers.",
    "forum-salon": "Participation collective à un forum ou à un salon (métiers, formation, emploi).",
    "autre": "Tout autre format ; aussi le type des événements créés avant que les événements aient un type.",
}


class StatutInscription(models.TextChoices):
    CONFIRMEE = "confirmee", "Inscription confirmée"
    ATTENTE = "attente", "Sur liste d’attente"
    ANNULEE = "annulee", "Annulée"


class Presence(models.TextChoices):
    """Attendance, the only record kept of a professionalisation event (no training record: the employer's)."""

    NON_RENSEIGNEE = "", "Non renseignée"
    PRESENT = "present", "Présent ou présente"
    ABSENT = "absent", "Absent ou absente"


assert set(TYPE_DESCRIPTIONS) == set(TypeRendezVous.values)  # import-time checks
assert set(PUBLIC_DESCRIPTIONS) == set(Public.values)
assert set(TYPE_EVENEMENT_DESCRIPTIONS) == set(TypeEvenementPro.values)
