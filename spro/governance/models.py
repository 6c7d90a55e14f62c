"""Conventions of the SPRO and the network of its actors (issue 18, §1 and §2).

Conventions: a framework convention (`cadre`), its annexes and the particular conventions per network or structure
(each with a parent framework convention), their parties and signatories (by role), avenants, versioned texts
(uploaded through `spro.core.uploads`, with their SHA-256) and a notice of termination. Every date that follows from
the articles of the convention (current period, next tacit renewal, last possible end, end after a notice) is
computed by `spro.governance.calendar`, never typed; so is the status, except « brouillon » (no effect date yet).

Network: the charter of the SPRO network (versions), a structure's membership (its network, label, commitments,
dates) and its signatures of the charter's versions (who signed, when).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spro.governance import calendar

TITLE_MAX_LENGTH = 200


class ConventionKind(models.TextChoices):
    CADRE = "cadre", "Convention cadre"
    ANNEXE = "annexe", "Annexe"
    PARTICULIERE = "particuliere", "Convention particulière"


class ConventionStatus(models.TextChoices):
    """Computed (`Convention.status`), never stored."""

    DRAFT = "draft", "Brouillon"
    SIGNED = "signed", "En vigueur"
    DENOUNCED = "denounced", "Dénoncée (préavis en cours)"
    ENDED = "ended", "Terminée"


class SignatoryRole(models.TextChoices):
    PRESIDENT_REGION = "president_region", "Président·e du conseil régional"
    PREFET_REGION = "prefet_region", "Préfet·e de région"
    RECTEUR = "recteur", "Recteur·rice de région académique"
    DREETS = "dreets", "Directeur·rice régional·e de l’économie, de l’emploi, du travail et des solidarités"
    DRAAF = "draaf", "Directeur·rice régional·e de l’alimentation, de l’agriculture et de la forêt"
    ONISEP = "onisep", "Délégué·e régional·e de l’ONISEP"
    TETE_DE_RESEAU = "tete_de_reseau", "Président·e ou directeur·rice de la tête de réseau"
    STRUCTURE = "structure", "Directeur·rice de la structure"
    AUTRE = "autre", "Autre signataire"


class Convention(models.Model):
    kind = models.CharField(
        "type", max_length=20, choices=ConventionKind.choices, default=ConventionKind.CADRE
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="convention cadre",
        limit_choices_to={"kind": ConventionKind.CADRE},
    )
    title = models.CharField("intitulé", max_length=TITLE_MAX_LENGTH)
    network = models.CharField(
        "réseau concerné",
        max_length=30,
        blank=True,
        help_text="Typologie de la tête de réseau (ML, FT, CIO…).",
    )
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure concernée",
    )
    signed_on = models.DateField("date de signature", null=True, blank=True)
    effective_on = models.DateField("date d’effet", null=True, blank=True)
    cprdfop_end = models.DateField("fin du CPRDFOP")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "convention"
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConventionKind.values), name="governance_convention_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="cadre", parent__isnull=True) | (~Q(kind="cadre") & Q(parent__isnull=False)),
                name="governance_convention_parent",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(cprdfop_end__gte=models.F("effective_on")),
                name="governance_convention_cprdfop_after_effect",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def notice(self) -> TerminationNotice | None:
        try:
            return self.termination_notice
        except TerminationNotice.DoesNotExist:
            return None

    def life(self, on: dt.date | None = None) -> calendar.Life | None:
        """The computed dates (None for a draft without effect date)."""
        if self.effective_on is None:
            return None
        notice = self.notice()
        return calendar.life(
            self.effective_on,
            self.cprdfop_end,
            notice=notice.sent_on if notice else None,
            on=on or timezone.localdate(),
        )

    def status(self, on: dt.date | None = None) -> ConventionStatus:
        life = self.life(on)
        if life is None or self.signed_on is None:
            return ConventionStatus.DRAFT
        if life.on > life.end:
            return ConventionStatus.ENDED
        if life.end_reason == calendar.END_NOTICE:
            return ConventionStatus.DENOUNCED
        return ConventionStatus.SIGNED


class Party(models.Model):
    """A party to a convention and its signatory, by role (the name is optional)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    organisation = models.CharField("partie", max_length=TITLE_MAX_LENGTH, help_text="« Région », « État »…")
    signatory_role = models.CharField("signataire (fonction)", max_length=30, choices=SignatoryRole.choices)
    signatory_name = models.CharField("nom du ou de la signataire", max_length=120, blank=True)

    class Meta:
        verbose_name = "partie signataire"
        verbose_name_plural = "parties signataires"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signatory_role__in=SignatoryRole.values), name="governance_party_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_signatory_role_display()})"


class ConventionDocument(models.Model):
    """One version of a text (the convention, an annex, an avenant), stored by spro.core.uploads."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="documents")
    amendment = models.ForeignKey(
        "Amendment", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    version = models.PositiveIntegerField("version")
    title = models.CharField("titre", max_length=TITLE_MAX_LENGTH)
    path = models.CharField("fichier", max_length=300, editable=False)
    original_name = models.CharField("nom d’origine", max_length=200)
    content_type = models.CharField("type", max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déposé par",
    )

    class Meta:
        verbose_name = "texte de convention"
        verbose_name_plural = "textes de convention"
        ordering = ["convention", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "version"], name="governance_document_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Amendment(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("date de signature")
    subject = models.TextField("objet", max_length=2000)
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="governance_amendment_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="governance_amendment_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number}"


class TerminationNotice(models.Model):
    """The formal notice of termination: the convention ends two months after `sent_on` (calendar.notice_end)."""

    convention = models.OneToOneField(Convention, on_delete=models.CASCADE, related_name="termination_notice")
    sent_on = models.DateField("date d’envoi")
    sent_by = models.CharField("partie qui dénonce", max_length=TITLE_MAX_LENGTH)
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "dénonciation"

    def __str__(self) -> str:
        return f"Dénonciation du {self.sent_on:%d/%m/%Y}"


class AlertKind(models.TextChoices):
    RENEWAL = "reconduction", "Reconduction tacite"
    NOTICE_END = "fin_preavis", "Fin de préavis"


class SentAlert(models.Model):
    """One alert e-mailed for one date of one convention: never twice the same (unique)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="sent_alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    due_on = models.DateField("date annoncée")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "alerte envoyée"
        verbose_name_plural = "alertes envoyées"
        constraints = [
            models.UniqueConstraint(fields=["convention", "kind", "due_on"], name="governance_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.due_on:%d/%m/%Y}"


# --- The network of SPRO actors ----------------------------------------------------------------------------------


class Charter(models.Model):
    version = models.PositiveIntegerField("version", unique=True)
    title = models.CharField(
        "titre", max_length=TITLE_MAX_LENGTH, default="Charte du réseau des acteurs du SPRO"
    )
    text = models.TextField("texte")
    published_on = models.DateField("date de publication", default=timezone.localdate)
    document_path = models.CharField(max_length=300, blank=True, editable=False)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=120, blank=True)
    document_sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "charte du réseau"
        verbose_name_plural = "chartes du réseau"
        ordering = ["-version"]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="governance_charter_version")]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"

    @classmethod
    def current(cls) -> Charter | None:
        return cls.objects.order_by("-version").first()


class NetworkMember(models.Model):
    """A structure of the directory, member of the SPRO network."""

    structure = models.OneToOneField(
        "directory.Structure",
        on_delete=models.PROTECT,
        related_name="spro_membership",
        verbose_name="structure",
    )
    network = models.CharField(
        "réseau (tête de réseau)", max_length=30, blank=True, help_text="Typologie de la tête de réseau."
    )
    label = models.CharField("label", max_length=120, blank=True)
    commitments = models.TextField("engagements", blank=True, max_length=4000)
    started_on = models.DateField("membre depuis", default=timezone.localdate)
    ended_on = models.DateField("membre jusqu’au", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre du réseau SPRO"
        verbose_name_plural = "membres du réseau SPRO"
        ordering = ["structure__nom", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="governance_member_dates",
            ),
        ]

    def __str__(self) -> str:
        return str(self.structure)

    def is_current(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)

    def last_signature(self) -> CharterSignature | None:
        return self.signatures.select_related("charter").order_by("-charter__version").first()


class CharterSignature(models.Model):
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="signatures")
    charter = models.ForeignKey(Charter, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField("signée le", default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="signée par",
    )

    class Meta:
        verbose_name = "signature de la charte"
        verbose_name_plural = "signatures de la charte"
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "charter"], name="governance_signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – version {self.charter.version}"


class CalendarFeedToken(models.Model):
    """A private ICS feed address of the conventions' dates for one user: only the SHA-256 of the token is kept;
    making a new one revokes the old; the feed checks the user's right at every read."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "adresse privée du calendrier des conventions"

    def __str__(self) -> str:
        return f"Adresse privée de {self.user}"
