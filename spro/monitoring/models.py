"""The rollup table: counts per indicator, month, structure, territory and one breakdown value.

One row counts the source rows of one month that fall in one cell. `structure_id = 0` rows count every structure
(what the Region and State pilots and the public read, without summing structures); the other rows are one
structure's (what a structure or a network head reads). `level = "ensemble"` is the whole (territory ""); on the
other levels territory "" means « non renseigné ». `dimension = ""` is the total (value ""). No personal data.
"""

from __future__ import annotations

from django.db import models


class Rollup(models.Model):
    indicator = models.CharField("indicateur", max_length=40)
    structure_id = models.IntegerField("structure (0 : toutes)")
    level = models.CharField("niveau territorial", max_length=12)
    dimension = models.CharField("ventilation", max_length=20)
    month = models.DateField("mois")
    territory = models.CharField("territoire", max_length=10)
    value = models.CharField("valeur", max_length=40)
    count = models.BigIntegerField("effectif")

    class Meta:
        verbose_name = "agrégat"
        verbose_name_plural = "agrégats"
        constraints = [
            # Its index serves every query: one indicator, scope, level and breakdown, over a range of months.
            models.UniqueConstraint(
                fields=["indicator", "structure_id", "level", "dimension", "month", "territory", "value"],
                name="monitoring_rollup_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month} {self.level}:{self.territory} {self.dimension}={self.value}"
