"""The referral aggregate (a person asks to be contacted by a structure), its transition log, and the outbox.

Invariants live in the database too (CheckConstraint), so that no code path, admin action or raw SQL can store an
accepted referral without an appointment, a declined one without a reason, a closed one without an outcome, or an
anonymised one that still holds personal data. Statuses change only through `spro.referrals.workflow`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from spro.referrals.vocabularies import AppointmentChannel, ContactChannel

MESSAGE_MAX_LENGTH = 1000
FIRST_NAME_MAX_LENGTH = 60
CONTACT_MAX_LENGTH = 254


class Status(models.TextChoices):
    NOUVELLE = "nouvelle", "Nouvelle"
    VUE = "vue", "Vue"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    CLOTUREE = "cloturee", "Clôturée"
    EXPIREE = "expiree", "Expirée"
    RETIREE = "retiree", "Retirée par la personne"


class Referral(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="referrals", verbose_name="structure"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.NOUVELLE)

    # What the person agreed to share (blanked by anonymisation).
    first_name = models.CharField("prénom", max_length=FIRST_NAME_MAX_LENGTH, blank=True)
    contact_channel = models.CharField("moyen de contact", max_length=10, choices=ContactChannel.choices)
    contact_value = models.CharField("coordonnée", max_length=CONTACT_MAX_LENGTH, blank=True)
    message = models.TextField("message", max_length=MESSAGE_MAX_LENGTH, blank=True)
    # Coarse categories, kept after anonymisation for the statistics.
    besoins = models.JSONField("besoins", default=list, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )

    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    consent_given_at = models.DateTimeField("consentement donné le")
    # NULL once the person deleted their data: many rows may lack a link, and UNIQUE ignores NULLs (not "").
    follow_token_hash = models.CharField(  # noqa: DJ001
        "empreinte du lien de suivi", max_length=64, null=True, unique=True
    )
    follow_link_expires_at = models.DateTimeField("fin de validité du lien de suivi")
    expires_at = models.DateTimeField("expire sans réponse le", db_index=True)
    idempotency_key_hash = models.CharField("empreinte de la clé d'idempotence", max_length=64, unique=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    referred_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="orientée par",
    )
    referred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onward",
        verbose_name="issue de",
    )

    # Filled by the transitions (see workflow.py).
    appointment_at = models.DateTimeField("rendez-vous proposé le", null=True, blank=True)
    appointment_channel = models.CharField(
        "modalité du rendez-vous", max_length=10, choices=AppointmentChannel.choices, blank=True
    )
    appointment_place = models.CharField("lieu ou précisions du rendez-vous", max_length=300, blank=True)
    # The person's answer to the proposed appointment (see workflow: confirmer-rdv, deplacer-rdv).
    appointment_confirmed_at = models.DateTimeField("rendez-vous confirmé le", null=True, blank=True)
    appointment_change_requested_at = models.DateTimeField(
        "autre rendez-vous demandé le", null=True, blank=True
    )
    decline_reason = models.CharField("motif du refus", max_length=20, blank=True)
    outcome = models.CharField("issue", max_length=20, blank=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "status"], name="referrals_structure_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="referrals_status_known"),
            models.CheckConstraint(
                condition=Q(contact_channel__in=ContactChannel.values), name="referrals_channel_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACCEPTEE) | Q(appointment_at__isnull=False),
                name="referrals_accepted_has_appointment",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSEE) | ~Q(decline_reason=""),
                name="referrals_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOTUREE) | ~Q(outcome=""),
                name="referrals_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True, first_name__gt="", contact_value__gt="")
                | Q(anonymised_at__isnull=False, first_name="", contact_value="", message=""),
                name="referrals_personal_data_or_anonymised",
            ),
        ]

    def __str__(self) -> str:
        return f"Mise en relation {self.public_id} ({self.get_status_display()})"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class ReferralTransition(models.Model):
    """One change of a referral's status: who (a user, the person, or the system when both are empty), when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=12, blank=True)  # "" for the creation
    to_status = models.CharField("vers", max_length=12, choices=Status.choices)
    at = models.DateTimeField("le", auto_now_add=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_person = models.BooleanField("par la personne", default=False)
    reason = models.CharField("motif (code)", max_length=40, blank=True)
    note = models.TextField("note", max_length=MESSAGE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "transition"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_person=False) | Q(by_user__isnull=True), name="referrals_transition_one_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class OutboxMessage(models.Model):
    """An e-mail written in the same transaction as the change it announces; `spro outbox send` delivers it."""

    to = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True, db_index=True)
    last_error = models.TextField("dernière erreur", blank=True)
    #: Addressed to the person (their e-mail is personal data: erased with the referral's personal data).
    to_person = models.BooleanField("adressé à la personne", default=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )

    class Meta:
        verbose_name = "message en attente"
        verbose_name_plural = "messages en attente"
        ordering = ["next_attempt_at", "id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
