"""Models of spro.pathways: a pathway the person owns, after the Carnet de bord's notebook → focus → objective →
action structure (docs/parcours.md).

* `Pathway` is the notebook: a goal (a métier, a formation or a project in the person's words), where it was kept
  from, and a private link (only the SHA-256 digest of a random token is stored; NULL once revoked).
* `Focus` is an axis (formation, emploi, logement…: a code of the Region's catalogue).
* `Objective` is a step within a focus; `Action` a thing to do within a step, with a status, a due date, maybe an
  appointment, and a link to a métier, a formation, a scheme or a structure.
* Objectives and actions a conseiller proposes wait in `proposed` until the person accepts or declines them.
* `PathwayShare` is the person's consent to show (parts of) the pathway to one structure, until a date.
* `PathwayChange` is the log: who (the person, or a user of a structure), when, what kind, a short description
  holding no personal data.

Invariants live in the database too (CheckConstraint). Changes go through `spro.pathways.services`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from spro.pathways.vocabularies import (
    ActionStatus,
    ChangeKind,
    GoalKind,
    ObjectiveStatus,
    Origin,
    ProposalState,
)
from spro.referrals.vocabularies import AppointmentChannel

LABEL_MAX_LENGTH = 200
CODE_MAX_LENGTH = 60
PLACE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 200


class Pathway(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    goal_kind = models.CharField("nature du but", max_length=10, choices=GoalKind.choices)
    goal_label = models.CharField("but", max_length=LABEL_MAX_LENGTH)
    #: A ROME code for a métier, a formation's identifier for a formation, empty for a project.
    goal_code = models.CharField("code du but", max_length=CODE_MAX_LENGTH, blank=True)
    origin = models.CharField("origine", max_length=16, choices=Origin.choices)
    origin_referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathways",
        verbose_name="mise en relation d’origine",
    )
    # NULL once the link is revoked (UNIQUE ignores NULLs, not "").
    link_token_hash = models.CharField(  # noqa: DJ001
        "empreinte du lien privé", max_length=64, null=True, unique=True
    )
    link_created_at = models.DateTimeField("lien privé créé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    #: When the person last opened the page through the private link (written at most once a day, see
    #: `services.record_opening`); with `updated_at` and the log it dates the last activity the retention counts.
    last_opened_at = models.DateTimeField("dernière visite le", null=True, blank=True)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal_kind__in=GoalKind.values), name="pathways_goal_kind_known"
            ),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="pathways_origin_known"),
            models.CheckConstraint(condition=~Q(goal_label=""), name="pathways_goal_label_required"),
            models.CheckConstraint(
                condition=Q(origin_referral__isnull=True) | Q(origin=Origin.REFERRAL),
                name="pathways_referral_origin",
            ),
            models.CheckConstraint(
                condition=Q(link_token_hash__isnull=True) | Q(link_created_at__isnull=False),
                name="pathways_link_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Parcours {self.public_id}"


class Focus(models.Model):
    """An axis of the pathway (a code of the focus catalogue)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="focuses")
    code = models.CharField("axe (code du catalogue)", max_length=CODE_MAX_LENGTH)
    position = models.PositiveIntegerField("rang", default=0)
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "code"], name="pathways_focus_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="pathways_focus_code_required"),
        ]

    def __str__(self) -> str:
        return self.code


class ProposalFields(models.Model):
    """Who proposed an objective or action, and the person's answer."""

    proposal_state = models.CharField(
        "proposition", max_length=10, choices=ProposalState.choices, default=ProposalState.ACCEPTED
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposé par",
    )
    proposed_by_structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure qui propose",
    )
    proposed_at = models.DateTimeField("proposé le", null=True, blank=True)
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)

    class Meta:
        abstract = True


class Objective(ProposalFields):
    """A step (the Carnet de bord's « target »)."""

    focus = models.ForeignKey(Focus, on_delete=models.CASCADE, related_name="objectives")
    label = models.CharField("étape", max_length=LABEL_MAX_LENGTH)
    catalogue_code = models.CharField("code du catalogue", max_length=CODE_MAX_LENGTH, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.EN_COURS
    )
    position = models.PositiveIntegerField("rang", default=0)
    created_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "étape"
        verbose_name_plural = "étapes"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="pathways_objective_label_required"),
            models.CheckConstraint(
                condition=Q(status__in=ObjectiveStatus.values), name="pathways_objective_status_known"
            ),
            models.CheckConstraint(
                condition=Q(proposal_state__in=ProposalState.values), name="pathways_objective_proposal_known"
            ),
            models.CheckConstraint(
                condition=Q(proposal_state=ProposalState.ACCEPTED, proposed_at__isnull=True)
                | Q(proposed_at__isnull=False),
                name="pathways_objective_proposal_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Action(ProposalFields):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    label = models.CharField("action", max_length=LABEL_MAX_LENGTH)
    catalogue_code = models.CharField("code du catalogue", max_length=CODE_MAX_LENGTH, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ActionStatus.choices, default=ActionStatus.A_FAIRE
    )
    due_date = models.DateField("à faire avant le", null=True, blank=True)
    appointment_at = models.DateTimeField("rendez-vous le", null=True, blank=True, db_index=True)
    appointment_channel = models.CharField(
        "modalité du rendez-vous", max_length=10, choices=AppointmentChannel.choices, blank=True
    )
    appointment_place = models.CharField(
        "lieu ou précisions du rendez-vous", max_length=PLACE_MAX_LENGTH, blank=True
    )
    # What the action points to (each optional).
    rome_code = models.CharField("métier (code ROME)", max_length=5, blank=True)
    formation_id = models.CharField("formation (identifiant)", max_length=CODE_MAX_LENGTH, blank=True)
    scheme_code = models.CharField(
        "dispositif (code du catalogue des aides)", max_length=CODE_MAX_LENGTH, blank=True
    )
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure",
    )
    position = models.PositiveIntegerField("rang", default=0)
    created_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="pathways_action_label_required"),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="pathways_action_status_known"
            ),
            models.CheckConstraint(
                condition=Q(proposal_state__in=ProposalState.values), name="pathways_action_proposal_known"
            ),
            models.CheckConstraint(
                condition=Q(proposal_state=ProposalState.ACCEPTED, proposed_at__isnull=True)
                | Q(proposed_at__isnull=False),
                name="pathways_action_proposal_dated",
            ),
            models.CheckConstraint(
                condition=Q(appointment_at__isnull=False) | Q(appointment_channel="", appointment_place=""),
                name="pathways_action_appointment_details",
            ),
            models.CheckConstraint(
                condition=Q(appointment_channel="") | Q(appointment_channel__in=AppointmentChannel.values),
                name="pathways_action_channel_known",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_appointment(self) -> bool:
        return self.appointment_at is not None


class PathwayShare(models.Model):
    """The person's consent to show parts of the pathway to one structure, until `expires_at` or a withdrawal."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="shares")
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        related_name="pathway_shares",
        verbose_name="structure",
    )
    #: Codes of `SharedPart` (the goal is always shown).
    parts = models.JSONField("parties partagées", default=list)
    consent_text_version = models.CharField("version du texte de consentement", max_length=40)
    given_at = models.DateTimeField("consentement donné le")
    expires_at = models.DateTimeField("partagé jusqu’au", db_index=True)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)

    class Meta:
        verbose_name = "partage de parcours"
        verbose_name_plural = "partages de parcours"
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["structure", "withdrawn_at", "expires_at"], name="pathways_share_active"),
            # The conseiller's list: open shares of one structure, newest first (bench/accompaniment).
            models.Index(
                fields=["structure", "-given_at", "-id"],
                condition=Q(withdrawn_at__isnull=True),
                name="pathways_share_structure_given",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("given_at")), name="pathways_share_expires_after"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="pathways_share_withdrawn_after",
            ),
            models.CheckConstraint(
                condition=~Q(consent_text_version=""), name="pathways_share_consent_version"
            ),
            models.UniqueConstraint(
                fields=["pathway", "structure"],
                condition=Q(withdrawn_at__isnull=True),
                name="pathways_share_one_open_per_structure",
            ),
        ]

    def __str__(self) -> str:
        return f"Partage {self.pathway_id} → {self.structure_id}"


class PathwayChange(models.Model):
    """One change of a pathway: who (the person, or a user for a structure), when, what kind, a short description
    that holds no personal data (a code and labels of the catalogue, never free text the person wrote)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    by_person = models.BooleanField("par la personne", default=False)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_structure = models.ForeignKey(
        "directory.Structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("nature", max_length=24, choices=ChangeKind.choices)
    description = models.CharField("description", max_length=DESCRIPTION_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "changement de parcours"
        verbose_name_plural = "journal des parcours"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="pathways_change_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(by_person=False) | Q(by_user__isnull=True, by_structure__isnull=True),
                name="pathways_change_one_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.at:%Y-%m-%d %H:%M})"
