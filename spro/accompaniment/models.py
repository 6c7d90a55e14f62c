"""The accompaniment of a person by a structure, its confidential notes, the schemes it mobilised, and its log.

An accompaniment always has a pathway (`pathways.Pathway`, the person's own): opened from a referral, on the spot
with the person's consent, or handed over by another structure with the person's consent. Invariants live in the
database too (CheckConstraint): a closed accompaniment has its outcome and closing date, an open one has neither; an
anonymised one is closed and holds no personal data; one opened on the spot or received in hand-over records the
consent text and its date. Changes go through `spro.accompaniment.services` only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spro.accompaniment.cep import CepLevel, CepOutcome, CepStage
from spro.accompaniment.vocabularies import EventKind, Origin, Outcome, Status
from spro.referrals.vocabularies import ContactChannel

FIRST_NAME_MAX_LENGTH = 60
CONTACT_MAX_LENGTH = 254
NOTE_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 300


class Accompaniment(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name="structure qui accompagne",
    )
    # NULL only once anonymised (the person may delete their pathway; see the constraint below).
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompaniments",
        verbose_name="parcours",
    )
    origin = models.CharField("origine", max_length=12, choices=Origin.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompaniments",
        verbose_name="demande de mise en relation",
    )
    handed_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handed_over_to",
        verbose_name="relais de",
    )
    #: The person agreed that the receiving structure reads the notes of the accompaniment handed over.
    previous_notes_shared = models.BooleanField(
        "notes précédentes partagées avec l’accord de la personne", default=False
    )

    # The person, as the referral holds them or as told on the spot (blanked by anonymisation).
    first_name = models.CharField("prénom", max_length=FIRST_NAME_MAX_LENGTH, blank=True)
    contact_channel = models.CharField(
        "moyen de contact", max_length=10, choices=ContactChannel.choices, blank=True
    )
    contact_value = models.CharField("coordonnée", max_length=CONTACT_MAX_LENGTH, blank=True)

    # The consent recorded on the spot or for the hand-over (empty for an accompaniment opened from a referral).
    consent_text_version = models.CharField("version du texte de consentement", max_length=40, blank=True)
    consent_given_at = models.DateTimeField("consentement donné le", null=True, blank=True)

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouvert par",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="conseiller ou conseillère référent",
    )
    opened_at = models.DateTimeField("ouvert le", default=timezone.now)
    status = models.CharField("statut", max_length=8, choices=Status.choices, default=Status.OUVERT)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices, blank=True)

    # The CEP (spro/accompaniment/cep.py): blank when the accompaniment is not a CEP one.
    cep_level = models.CharField("niveau CEP", max_length=12, choices=CepLevel.choices, blank=True)
    cep_stage = models.CharField("étape CEP", max_length=24, choices=CepStage.choices, blank=True)
    cep_outcome = models.CharField("issue CEP", max_length=24, choices=CepOutcome.choices, blank=True)

    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    class Meta:
        verbose_name = "accompagnement"
        verbose_name_plural = "accompagnements"
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The structure's list, by default and filtered by status or by conseiller (100 000 rows: docs).
            models.Index(fields=["structure", "-opened_at", "-id"], name="accomp_structure_opened"),
            models.Index(fields=["structure", "status", "-opened_at", "-id"], name="accomp_structure_status"),
            models.Index(
                fields=["structure", "referent", "-opened_at", "-id"], name="accomp_structure_referent"
            ),
            # The retention command: closed, not yet anonymised.
            models.Index(
                fields=["closed_at"], name="accomp_retention", condition=Q(anonymised_at__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="accomp_status_known"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="accomp_origin_known"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="accomp_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.OUVERT, closed_at__isnull=True, outcome="")
                | (Q(status=Status.CLOS, closed_at__isnull=False) & ~Q(outcome="")),
                name="accomp_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True, pathway__isnull=False) & ~Q(first_name="")
                | Q(
                    anonymised_at__isnull=False,
                    status=Status.CLOS,
                    first_name="",
                    contact_value="",
                ),
                name="accomp_personal_data_or_anonymised",
            ),
            models.CheckConstraint(
                condition=Q(origin=Origin.ORIENTATION)
                | Q(consent_given_at__isnull=False) & ~Q(consent_text_version=""),
                name="accomp_consent_recorded",
            ),
            models.CheckConstraint(
                condition=Q(contact_value="") | Q(contact_channel__in=ContactChannel.values),
                name="accomp_contact_channel_known",
            ),
            # One accompaniment per referral (opening it twice gives the same one).
            models.UniqueConstraint(
                fields=["referral"], condition=Q(referral__isnull=False), name="accomp_one_per_referral"
            ),
            # A hand-over is made once.
            models.UniqueConstraint(
                fields=["handed_over_from"],
                condition=Q(handed_over_from__isnull=False),
                name="accomp_one_handover",
            ),
        ]

    def __str__(self) -> str:
        return f"Accompagnement {self.public_id} ({self.get_status_display()})"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == Status.OUVERT


class Note(models.Model):
    """A professional, confidential note: read by the members of the accompanying structure only (every read audited),
    by the receiving structure of a hand-over only if the person agreed, and by the person through their export."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur ou autrice",
    )
    at = models.DateTimeField("écrite le", default=timezone.now)
    text = models.TextField("note", max_length=NOTE_MAX_LENGTH, blank=True)
    erased_at = models.DateTimeField("effacée le", null=True, blank=True)

    class Meta:
        verbose_name = "note"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) & ~Q(text="") | Q(erased_at__isnull=False, text=""),
                name="accomp_note_text_or_erased",
            ),
        ]

    def __str__(self) -> str:
        return f"Note du {self.at:%d/%m/%Y}"


class MobilisedScheme(models.Model):
    """A scheme of the aides catalogue (spro/aides/) mobilised for the person: its code and date are kept after
    anonymisation (statistics), the comment is erased."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="schemes")
    scheme = models.CharField("dispositif (code du catalogue)", max_length=60)
    on = models.DateField("mobilisé le")
    comment = models.CharField("commentaire", max_length=COMMENT_MAX_LENGTH, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "dispositif mobilisé"
        verbose_name_plural = "dispositifs mobilisés"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(scheme=""), name="accomp_scheme_code_required"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} ({self.on:%d/%m/%Y})"


class AccompanimentEvent(models.Model):
    """The log: opened, received or handed over, closed, anonymised; who (a user, or the system when empty), when."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("événement", max_length=16, choices=EventKind.choices)
    at = models.DateTimeField("le", default=timezone.now)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: A code (the outcome, the origin) or a structure's name: never free text about the person.
    detail = models.CharField("précision", max_length=200, blank=True)

    class Meta:
        verbose_name = "événement de l’accompagnement"
        verbose_name_plural = "journal des accompagnements"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="accomp_event_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y})"
