"""The dropout lists' data (docs/decrochage.md).

Personal data are encrypted at rest (`spro.core.crypto.EncryptedTextField`): names, INE, telephone, e-mail, legal
guardian, and the before-values and line values kept by a merge. What must be matched is stored as keyed hashes
(`ine_hash`, `identity_hash`: HMAC, never the clear normalised name). What drives assignment and priority stays in
clear: the commune's INSEE code, the last UAI, the birth and leaving dates, the status.

Designed to grow (the next slice: contact attempts, situations, solutions, follow-ups, droit au retour, retention):
they hang on `YoungPerson` (and `Listing` for what belongs to one campaign) without changing these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spro.core.crypto import EncryptedTextField
from spro.directory.models import Structure
from spro.dropouts.vocabularies import Priority, SchoolStatus


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

    def __str__(self) -> str:
        return f"jeune n° {self.pk}"


class Listing(models.Model):
    """A young person named by a campaign's list (the first accepted import that named them in it)."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="listings")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="listings")
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="listings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "campaign"], name="dropouts_listing_once")]

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
