"""The State's figures, one per (service, period, territory, indicator), the import runs that wrote them and the
replacements a later file made (docs/donnees-etat.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spro.core.vocabularies.territoires import TerritoryLevel
from spro.statedata.vocabularies import Indicator, Service


class ImportRun(models.Model):
    """One accepted file: who sent it, its SHA-256 and what it changed (a rejected file writes nothing, no run)."""

    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lines = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("créées", default=0)
    replaced = models.PositiveIntegerField("remplacées", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "import de données de l’État"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class StateFigure(models.Model):
    service = models.CharField("service", max_length=20, choices=Service.choices)
    period = models.CharField("période", max_length=7, help_text="AAAA, AAAA-Tn ou AAAA-MM")
    territory_level = models.CharField("niveau de territoire", max_length=12, choices=TerritoryLevel.choices)
    territory_code = models.CharField("code du territoire", max_length=9)
    indicator = models.CharField("indicateur", max_length=30, choices=Indicator.choices)
    value = models.PositiveIntegerField("valeur")
    source = models.CharField("source", max_length=200, blank=True)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="figures")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service", "period", "territory_level", "territory_code", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period", "territory_level", "territory_code", "indicator"],
                name="statedata_figure_key",
            )
        ]
        indexes = [models.Index(fields=["period", "territory_level", "territory_code"])]

    def __str__(self) -> str:
        return f"{self.service} {self.period} {self.territory_level}:{self.territory_code} {self.indicator}"


class Replacement(models.Model):
    """A later file changed a figure: the old value is kept, with the run that replaced it."""

    figure = models.ForeignKey(StateFigure, on_delete=models.CASCADE, related_name="replacements")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="replacements")
    previous_value = models.PositiveIntegerField()
    new_value = models.PositiveIntegerField()
    previous_source = models.CharField(max_length=200, blank=True)
    previous_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.figure}: {self.previous_value} → {self.new_value}"
