"""The anonymous first-contact log: one row per person received, with coarse categories only.

No identity field exists, by design (CNIL: data minimisation; the SPRO's right to anonymity): no name, no exact
age or birth date, no free text. The territory is a commune or a département, the age a band.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spro.contacts.vocabularies import Reponse, TrancheAge
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.canaux import Canal
from spro.core.vocabularies.statuts import Statut


def today():
    return timezone.localdate()


class FirstContact(models.Model):
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        related_name="first_contacts",
        verbose_name="structure",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)
    date = models.DateField("date du contact", default=today, db_index=True)
    channel = models.CharField("canal", max_length=20, choices=Canal.choices)
    age_band = models.CharField("tranche d’âge", max_length=20, choices=TrancheAge.choices)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    departement = models.ForeignKey(
        "geo.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    besoins = models.JSONField("besoins", default=list)
    answer_given = models.CharField("réponse apportée", max_length=20, choices=Reponse.choices)
    referred_to_typologie = models.CharField("orienté vers (type de structure)", max_length=30, blank=True)
    referred_to_structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="orienté vers (structure)",
    )

    class Meta:
        verbose_name = "premier contact"
        verbose_name_plural = "premiers contacts"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["structure", "date"], name="contacts_structure_date")]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Canal.values), name="contacts_channel_valid"),
            models.CheckConstraint(
                condition=Q(age_band__in=TrancheAge.values), name="contacts_age_band_valid"
            ),
            models.CheckConstraint(condition=Q(statut__in=Statut.values), name="contacts_statut_valid"),
            models.CheckConstraint(
                condition=Q(answer_given__in=Reponse.values), name="contacts_answer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure} – {self.date} – {self.get_channel_display()}"

    def clean(self) -> None:
        from spro.directory import vocabularies

        codes = self.besoins if isinstance(self.besoins, list) else None
        if not codes or any(code not in Besoin.values for code in codes) or len(set(codes)) != len(codes):
            raise ValidationError({"besoins": "Choisissez un ou plusieurs besoins de la liste."})
        if self.referred_to_typologie and self.referred_to_typologie not in vocabularies.typologies():
            raise ValidationError({"referred_to_typologie": "Type de structure inconnu."})
        if self.commune_id and self.departement_id and self.commune.departement_id != self.departement_id:
            raise ValidationError({"departement": "La commune n’est pas dans ce département."})

    @property
    def besoins_labels(self) -> list[str]:
        labels = dict(Besoin.choices)
        return [labels.get(code, code) for code in self.besoins or []]
