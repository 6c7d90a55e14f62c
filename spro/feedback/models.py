"""The users' view, in plain tables the indicators count (docs/avis.md).

The answer tables (`SatisfactionAnswer`, `SatisfactionReason`, `OutcomeAnswer`) hold no link to a person, a user, a
referral, an accompaniment or a token, and no time finer than the day: only the service kind, the day, the choices,
and the context that identifies nobody (département, the structure's typology and network). `FollowUpConsent` is the
one table linked to a referral: the person's consent to be written to, erased with the referral.
"""

from __future__ import annotations

from django.db import models

from spro.feedback.vocabularies import FollowUpKind, Outcome, Reason, Score, ServiceKind


class SatisfactionAnswer(models.Model):
    """One anonymous answer to « Êtes-vous satisfait·e ? »."""

    day = models.DateField("jour")
    service = models.CharField("service", max_length=20, choices=ServiceKind.choices)
    score = models.PositiveSmallIntegerField("note", choices=Score.choices)
    departement = models.CharField("département", max_length=3, blank=True)
    typologie = models.CharField("typologie de la structure", max_length=30, blank=True)
    reseau = models.CharField("réseau de la structure", max_length=60, blank=True)

    class Meta:
        verbose_name = "avis de satisfaction"
        verbose_name_plural = "avis de satisfaction"
        indexes = [
            models.Index(fields=["day", "service"], name="feedback_sat_day_service"),
            models.Index(fields=["service", "departement"], name="feedback_sat_service_dep"),
            models.Index(fields=["typologie"], name="feedback_sat_typologie"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="feedback_sat_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service} {self.score}"


class SatisfactionReason(models.Model):
    """One reason ticked with an answer (one row each, so that reasons are counted by a plain GROUP BY)."""

    answer = models.ForeignKey(SatisfactionAnswer, on_delete=models.CASCADE, related_name="reasons")
    code = models.CharField("raison", max_length=20, choices=Reason.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "code"], name="feedback_reason_once")]

    def __str__(self) -> str:
        return self.code


class UsedFormKey(models.Model):
    """The digest of a satisfaction form's one-time key, once used: a second submit is refused. No link to the
    answer; rows are deleted after the key's validity (`spro avis relances`)."""

    digest = models.CharField("empreinte", max_length=64, unique=True)
    used_on = models.DateField("utilisée le", db_index=True)

    def __str__(self) -> str:
        return f"clé utilisée le {self.used_on}"


class FollowUpConsent(models.Model):
    """The person's consent, given on the referral's follow page, to be written to at 3 and 6 months."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="follow_up_consent"
    )
    text_version = models.CharField("version du texte de consentement", max_length=40)
    given_at = models.DateTimeField("accord donné le")
    withdrawn_at = models.DateTimeField("accord retiré le", null=True, blank=True)
    sent_3_at = models.DateTimeField("message à 3 mois mis en file le", null=True, blank=True)
    sent_6_at = models.DateTimeField("message à 6 mois mis en file le", null=True, blank=True)
    answered_3 = models.BooleanField("réponse à 3 mois reçue", default=False)
    answered_6 = models.BooleanField("réponse à 6 mois reçue", default=False)

    class Meta:
        verbose_name = "accord pour le suivi à 3 et 6 mois"
        indexes = [models.Index(fields=["withdrawn_at", "given_at"], name="feedback_consent_due")]

    def __str__(self) -> str:
        return f"accord {self.text_version} du {self.given_at:%Y-%m-%d}"


class OutcomeAnswer(models.Model):
    """One anonymous answer to « Où en êtes-vous ? », 3 or 6 months after a referral."""

    day = models.DateField("jour")
    months = models.PositiveSmallIntegerField("délai (mois)", choices=FollowUpKind.choices)
    outcome = models.CharField("situation", max_length=20, choices=Outcome.choices)
    departement = models.CharField("département", max_length=3, blank=True)
    typologie = models.CharField("typologie de la structure", max_length=30, blank=True)
    reseau = models.CharField("réseau de la structure", max_length=60, blank=True)

    class Meta:
        verbose_name = "réponse au suivi à 3 et 6 mois"
        indexes = [
            models.Index(fields=["day", "months"], name="feedback_outcome_day_months"),
            models.Index(fields=["outcome", "months"], name="feedback_outcome_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.months} mois {self.outcome}"
