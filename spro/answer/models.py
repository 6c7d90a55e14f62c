"""Anonymous statistics of the answers given on the page and through the API: coarse categories only.

One row per answer. No text, no commune, no exact age, no IP, no time of day (a date only): nothing that could
identify a person (CNIL: data minimisation; the SPRO's right to anonymity). The free text never reaches this model.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from spro.contacts.vocabularies import TrancheAge
from spro.core.vocabularies.statuts import Statut


def today():
    return timezone.localdate()


class Channel(models.TextChoices):
    PAGE = "page", "Page « Poser une question »"
    API = "api", "API (sites partenaires)"


class AnswerStat(models.Model):
    date = models.DateField("date", default=today, db_index=True)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    age_band = models.CharField("tranche d’âge", max_length=20, choices=TrancheAge.choices)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices)
    departement = models.ForeignKey(
        "geo.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    besoins = models.JSONField("besoins (3 au plus)", default=list)
    typologies = models.JSONField("types de structures proposés (3 au plus)", default=list)

    class Meta:
        verbose_name = "réponse donnée (statistique anonyme)"
        verbose_name_plural = "réponses données (statistiques anonymes)"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="answer_stat_channel_valid"),
            models.CheckConstraint(
                condition=Q(age_band__in=TrancheAge.values), name="answer_stat_age_band_valid"
            ),
            models.CheckConstraint(condition=Q(statut__in=Statut.values), name="answer_stat_statut_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date} – {self.get_channel_display()}"
