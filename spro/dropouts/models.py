"""The dropout lists' data (docs/decrochage.md).

Personal data are encrypted at rest (`spro.core.crypto.EncryptedTextField`): names, INE, telephone, e-mail, legal
guardian, and the before-values and line values kept by a merge. What must be matched is stored as keyed hashes
(`ine_hash`, `identity_hash`: HMAC, never the clear normalised name). What drives assignment and priority stays in
clear: the commune's INSEE code, the last UAI, the birth and leaving dates, the status.

The chain's work (issue 17 § 2: contact attempts, situations, solutions and their follow-ups, « droit au retour »
requests, the consented link to an accompaniment) hangs on `YoungPerson` with CASCADE, so that deleting a young
person deletes everything recorded about them. It holds codes, dates and short labels, no personal free text.
Changes go through `spro.dropouts.chain` only (access, validation, audit, the person's list).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spro.core.crypto import EncryptedTextField
from spro.directory.models import Structure
from spro.dropouts.vocabularies import (
    ContactChannel,
    ContactResult,
    FollowUpMonth,
    FollowUpOutcome,
    Priority,
    ReturnOutcome,
    ReturnStep,
    SchoolStatus,
    Situation,
    SolutionType,
)

#: The longest short label (a solution's place, an offer): a label, never a note about the person.
LABEL_MAX_LENGTH = 120


class Campaign(models.Model):
    """One period of the State's lists (SIEI), named by its month: `2026-11`."""

    code = models.CharField("code (AAAA-MM)", max_length=7, unique=True)
    opened_on = models.DateField("ouverte le")
    closed_on = models.DateField("close le", null=True, blank=True)

    class Meta:
        verbose_name = "campagne"
        ordering = ["-code"]

    def __str__(self) -> str:
        return self.code


class PsadZone(models.Model):
    """A PSAD's zone, loaded from the Region's zone files (`spro decrochage zones charger`): its communes, the
    structure that runs the platform (its admins are the zone's coordinators) and the assignment rules."""

    code = models.SlugField("code", max_length=50, unique=True)
    nom = models.CharField("nom", max_length=200)
    psad_structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="psad_zones",
        verbose_name="structure porteuse (PSAD)",
    )
    communes = models.JSONField("communes (codes INSEE)", default=list)
    #: The validated rules, in order, each {"nom", "si": {...}, "structure_id"}; first match wins.
    rules = models.JSONField("règles d’affectation", default=list)
    source = models.CharField("fichier", max_length=300, blank=True)
    demo = models.BooleanField("données de démonstration", default=False)
    loaded_at = models.DateTimeField("chargée le", auto_now=True)

    class Meta:
        verbose_name = "zone de PSAD"
        verbose_name_plural = "zones de PSAD"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nom


class ImportRun(models.Model):
    """One accepted import of a list (a rejected file writes nothing, so leaves no run)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField("fichier", max_length=300)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    lines = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("créés", default=0)
    merged = models.PositiveIntegerField("fusionnés", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "import de liste"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"import n° {self.pk} ({self.file_name})"


class YoungPerson(models.Model):
    """A young person of the lists, once, whatever the number of lines and campaigns that named them."""

    ine_hash = models.CharField("INE (empreinte)", max_length=64, null=True, blank=True, unique=True)
    ine = EncryptedTextField("INE", blank=True, default="")
    identity_hash = models.CharField("nom, prénom, naissance (empreinte)", max_length=64, db_index=True)
    nom = EncryptedTextField("nom")
    prenom = EncryptedTextField("prénom")
    birth_date = models.DateField("date de naissance")
    commune = models.CharField("commune (INSEE)", max_length=5, db_index=True)
    telephone = EncryptedTextField("téléphone", blank=True, default="")
    courriel = EncryptedTextField("courriel", blank=True, default="")
    responsable_legal = EncryptedTextField("responsable légal", blank=True, default="")
    uai = models.CharField("dernier établissement (UAI)", max_length=8, blank=True)
    formation = models.CharField("dernière formation", max_length=300, blank=True)
    left_on = models.DateField("date de sortie")
    school_status = models.CharField("statut", max_length=10, choices=SchoolStatus.choices)
    zone = models.ForeignKey(
        PsadZone, on_delete=models.SET_NULL, null=True, blank=True, related_name="young_people"
    )
    partner = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dropouts_assigned",
        verbose_name="structure partenaire",
    )
    priority = models.CharField(
        "liste", max_length=12, choices=Priority.choices, default=Priority.A_CONTACTER, db_index=True
    )
    #: A keyed hash (HMAC) of each encrypted field a merge may change, by field name, for the values that are not
    #: empty (`spro.dropouts.importing.field_hash`): the import compares a line with the stored young person
    #: without decrypting. Missing (rows older than this column) or made with another HMAC key, a hash never
    #: matches, and the value is decrypted and compared as before; `spro decrochage rechiffrer` recomputes them.
    field_hashes = models.JSONField("empreintes des coordonnées", default=dict, blank=True)
    campaigns = models.ManyToManyField(Campaign, through="Listing", related_name="young_people")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jeune (liste de décrochage)"
        verbose_name_plural = "jeunes (listes de décrochage)"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school_status__in=SchoolStatus.values), name="dropouts_person_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values), name="dropouts_person_priority_valid"
            ),
        ]
        # The pages' list (spro/dropouts/lists.py): one list of a zone or of a partner, in leaving-date order.
        indexes = [
            models.Index(fields=["zone", "priority", "left_on", "id"], name="dropouts_person_zone_list"),
            models.Index(
                fields=["partner", "priority", "left_on", "id"], name="dropouts_person_partner_list"
            ),
        ]

    def __str__(self) -> str:
        return f"jeune n° {self.pk}"


class Listing(models.Model):
    """A young person named by a campaign's list (the first accepted import that named them in it)."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="listings")
    # Indexed with the person below (its own index would be that one's prefix).
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="listings", db_index=False)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="listings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "campaign"], name="dropouts_listing_once")]
        # A campaign's young people in id order, by ranges (`indicators.person_ranges`): without it, each range
        # read the whole campaign's listings, and a recomputation by ranges grew as the campaign's size squared.
        indexes = [models.Index(fields=["campaign", "person"], name="dropouts_listing_by_campaign")]

    def __str__(self) -> str:
        return f"jeune n° {self.person_id} dans la campagne n° {self.campaign_id}"


class ImportedLine(models.Model):
    """A line already imported, by a keyed hash of its content and campaign: the same line again is `inchangé`."""

    fingerprint = models.CharField("empreinte de la ligne", max_length=64, unique=True)
    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="imported_lines")
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="imported_lines")
    line = models.PositiveIntegerField("ligne")

    def __str__(self) -> str:
        return f"ligne {self.line} de l’import n° {self.import_run_id}"


class MatchedBy(models.TextChoices):
    INE = "ine", "Même INE"
    IDENTITE = "identite", "Mêmes nom, prénom et date de naissance"


class MergeRecord(models.Model):
    """A line merged into a young person already known: which fields changed, their values before (encrypted) and
    the line itself (encrypted), so that `spro decrochage defusionner <id>` restores the person and makes the line a
    young person of its own."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="merges")
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="merges")
    line = models.PositiveIntegerField("ligne")
    matched_by = models.CharField("rapproché par", max_length=10, choices=MatchedBy.choices)
    changed_fields = models.JSONField("champs modifiés", default=list)
    campaign_added = models.BooleanField("campagne ajoutée", default=False)
    before = EncryptedTextField("valeurs avant (JSON)", blank=True, default="")
    line_values = EncryptedTextField("valeurs de la ligne (JSON)")
    fingerprint = models.CharField("empreinte de la ligne", max_length=64)
    at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField("défusionnée le", null=True, blank=True)
    split_person = models.ForeignKey(
        YoungPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="split_from"
    )

    class Meta:
        verbose_name = "fusion"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"fusion n° {self.pk}"


# --- the chain's work (issue 17 § 2) -------------------------------------------------------------------------------


def _by_user():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )


def _by_structure():
    return models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pour la structure",
    )


class ContactAttempt(models.Model):
    """One attempt to reach a young person: how, when, what it gave."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField("moyen", max_length=16, choices=ContactChannel.choices)
    made_on = models.DateField("le")
    result = models.CharField("résultat", max_length=24, choices=ContactResult.choices)
    by = _by_user()
    by_structure = _by_structure()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tentative de contact"
        ordering = ["-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=ContactChannel.values), name="dropouts_contact_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(result__in=ContactResult.values), name="dropouts_contact_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"contact n° {self.pk}"


class SituationRecord(models.Model):
    """A situation found for a young person, on a day (in a campaign's list when given)."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="situations")
    listing = models.ForeignKey(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="situations"
    )
    situation = models.CharField("situation", max_length=24, choices=Situation.choices)
    found_on = models.DateField("constatée le")
    by = _by_user()
    by_structure = _by_structure()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "situation constatée"
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(situation__in=Situation.values), name="dropouts_situation_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"situation n° {self.pk}"


class Solution(models.Model):
    """A solution a young person entered: its type, start, where (a directory structure or a short label)."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="solutions")
    solution_type = models.CharField("type", max_length=24, choices=SolutionType.choices)
    started_on = models.DateField("débute le")
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dropout_solutions",
        verbose_name="structure d’accueil",
    )
    label = models.CharField("lieu (libellé court)", max_length=LABEL_MAX_LENGTH, blank=True)
    ended_on = models.DateField("terminée le", null=True, blank=True)
    by = _by_user()
    by_structure = _by_structure()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "solution"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(solution_type__in=SolutionType.values), name="dropouts_solution_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="dropouts_solution_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"solution n° {self.pk}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class FollowUp(models.Model):
    """The follow-up due 3 or 6 months after a solution's start (created with the solution)."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField("échéance", choices=FollowUpMonth.choices)
    due_on = models.DateField("à faire le", db_index=True)
    done_on = models.DateField("fait le", null=True, blank=True)
    outcome = models.CharField("constat", max_length=24, choices=FollowUpOutcome.choices, blank=True)
    by = _by_user()
    by_structure = _by_structure()

    class Meta:
        verbose_name = "suivi"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "month"], name="dropouts_follow_up_once"),
            models.CheckConstraint(
                condition=models.Q(month__in=FollowUpMonth.values), name="dropouts_follow_up_month_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True, outcome="")
                | models.Q(done_on__isnull=False, outcome__in=FollowUpOutcome.values),
                name="dropouts_follow_up_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"suivi à {self.month} mois de la solution n° {self.solution_id}"


class ReturnRequest(models.Model):
    """A « droit au retour en formation » request: received, then an interview, an offer, and its outcome; the
    delays from the request are computed, never stored."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="return_requests")
    requested_on = models.DateField("demandé le")
    channel = models.CharField("reçue par", max_length=16, choices=ContactChannel.choices)
    interview_on = models.DateField("entretien le", null=True, blank=True)
    offer_on = models.DateField("offre le", null=True, blank=True)
    offer_label = models.CharField("offre (libellé court)", max_length=LABEL_MAX_LENGTH, blank=True)
    outcome = models.CharField("issue", max_length=24, choices=ReturnOutcome.choices, blank=True)
    closed_on = models.DateField("close le", null=True, blank=True)
    by = _by_user()
    by_structure = _by_structure()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demande de retour en formation"
        verbose_name_plural = "demandes de retour en formation"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=ContactChannel.values), name="dropouts_return_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, outcome="")
                | models.Q(closed_on__isnull=False, outcome__in=ReturnOutcome.values),
                name="dropouts_return_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(offer_on__isnull=True) | ~models.Q(offer_label=""),
                name="dropouts_return_offer_has_label",
            ),
        ]

    def __str__(self) -> str:
        return f"demande de retour n° {self.pk}"

    @property
    def step(self) -> str:
        if self.closed_on is not None:
            return ReturnStep.CLOSE
        if self.offer_on is not None:
            return ReturnStep.OFFRE
        if self.interview_on is not None:
            return ReturnStep.ENTRETIEN
        return ReturnStep.DEMANDEE

    @property
    def days_to_interview(self) -> int | None:
        """Days from the request to the interview (None before the interview)."""
        return (self.interview_on - self.requested_on).days if self.interview_on else None

    @property
    def days_to_offer(self) -> int | None:
        """Days from the request to the offer (None before the offer)."""
        return (self.offer_on - self.requested_on).days if self.offer_on else None


class AccompanimentLink(models.Model):
    """A young person of the lists given an accompaniment (and so a pathway) with their consent: which one, the
    consent text's version and when it was given. Deleted with the young person; the accompaniment and pathway are
    the person's own and follow their own retention (docs/accompagnement.md)."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="accompaniment_links")
    accompaniment = models.ForeignKey(
        "accompaniment.Accompaniment", on_delete=models.CASCADE, related_name="dropout_links"
    )
    solution = models.ForeignKey(
        Solution, on_delete=models.SET_NULL, null=True, blank=True, related_name="accompaniment_links"
    )
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    consent_given_at = models.DateTimeField("consentement donné le")
    by = _by_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "accompagnement d’un jeune des listes"
        constraints = [
            models.UniqueConstraint(fields=["person", "accompaniment"], name="dropouts_accompaniment_once"),
            models.CheckConstraint(
                condition=~models.Q(consent_text_version=""), name="dropouts_accompaniment_consent_recorded"
            ),
        ]

    def __str__(self) -> str:
        return f"accompagnement du jeune n° {self.person_id}"
