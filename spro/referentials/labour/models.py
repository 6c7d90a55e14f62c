"""Labour-market referentials: tension by métier × bassin, ESCO occupations with ISCO-08, unemployment.

Official codes are natural keys (ISCO code, ESCO concept URI) so that re-imports keep ids stable.
Statistical facts (tension, unemployment) are keyed by (year, code, territory) and replaced per year:
a newer year's file adds rows next to the older years instead of retiring them.
"""

from django.db import models


class TensionIndicator(models.Model):
    """France Travail tension indicator for one ROME v3 métier in one BMO 2019 bassin d'emploi, one year.

    `code_rome` keeps the code as published (ROME v3); `fiche_metier` links it to ROME 4.0 only when that code
    still exists there, so that a code retired by ROME 4.0 keeps its statistics.
    """

    annee = models.PositiveSmallIntegerField("année")
    code_rome = models.CharField("code ROME (v3)", max_length=5, db_index=True)
    libelle_rome = models.CharField("libellé ROME (v3)", max_length=200)
    fiche_metier = models.ForeignKey(
        "rome.FicheMetier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tensions",
        verbose_name="fiche métier ROME 4.0",
    )
    bassin = models.ForeignKey(
        "geo.BassinEmploi", on_delete=models.PROTECT, related_name="tensions", verbose_name="bassin d'emploi"
    )
    offres = models.PositiveIntegerField("offres d'emploi enregistrées", help_text="oee")
    demandeurs = models.PositiveIntegerField("demandeurs d'emploi (cat. A, B, C)", help_text="defm_abc")
    indicateur = models.PositiveSmallIntegerField(
        "indicateur de tension", help_text="1 = tension très faible … 5 = tension très forte"
    )

    class Meta:
        verbose_name = "indicateur de tension"
        verbose_name_plural = "indicateurs de tension"
        ordering = ["-annee", "code_rome", "bassin"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "code_rome", "bassin"], name="labour_tension_unique_key"
            ),
            models.CheckConstraint(
                condition=models.Q(indicateur__gte=1, indicateur__lte=5), name="labour_tension_indicateur_1_5"
            ),
        ]
        indexes = [models.Index(fields=["bassin", "code_rome"])]

    def __str__(self) -> str:
        return f"{self.code_rome} × {self.bassin_id} ({self.annee}) : {self.indicateur}/5"


class IscoGroup(models.Model):
    """An ISCO-08 group (1 to 4 digits) as published in French by ESCO.

    The parent is the code minus its last digit ('2166' → '216'), as ISCO-08 codes are hierarchical.
    """

    code = models.CharField("code CITP/ISCO-08", max_length=4, primary_key=True)
    uri = models.URLField("URI ESCO", max_length=200)
    libelle = models.CharField("libellé", max_length=250)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="groupe parent",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "groupe ISCO-08"
        verbose_name_plural = "groupes ISCO-08"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.libelle}"

    @property
    def level(self) -> int:
        """1 = grand groupe … 4 = groupe de base (ISCO-08 unit group)."""
        return len(self.code)


class EscoOccupation(models.Model):
    """An ESCO occupation (French labels), attached to its ISCO-08 unit group."""

    uri = models.URLField("URI ESCO (conceptUri)", max_length=200, primary_key=True)
    libelle = models.CharField("libellé préféré", max_length=250, db_index=True)
    libelles_alternatifs = models.JSONField("libellés alternatifs", default=list, blank=True)
    description = models.TextField(blank=True)
    isco_group = models.ForeignKey(
        IscoGroup, on_delete=models.PROTECT, related_name="occupations", verbose_name="groupe ISCO-08"
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "métier ESCO"
        verbose_name_plural = "métiers ESCO"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class UnemploymentRate(models.Model):
    """INSEE localised unemployment rate (annual average, %) of one département or one région."""

    class Niveau(models.TextChoices):
        DEPARTEMENT = "departement", "département"
        REGION = "region", "région"

    niveau = models.CharField("niveau géographique", max_length=12, choices=Niveau.choices)
    code_zone = models.CharField("code INSEE de la zone", max_length=3)
    departement = models.ForeignKey(
        "geo.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taux_chomage",
        verbose_name="département",
    )
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taux_chomage",
        verbose_name="région",
    )
    annee = models.PositiveSmallIntegerField("année")
    taux = models.FloatField("taux de chômage (%)")

    class Meta:
        verbose_name = "taux de chômage localisé"
        verbose_name_plural = "taux de chômage localisés"
        ordering = ["niveau", "code_zone", "-annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["niveau", "code_zone", "annee"], name="labour_chomage_unique_key"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(niveau="departement", departement__isnull=False, region__isnull=True)
                    | models.Q(niveau="region", region__isnull=False, departement__isnull=True)
                ),
                name="labour_chomage_one_zone",
            ),
            models.CheckConstraint(
                condition=models.Q(taux__gte=0, taux__lte=100), name="labour_chomage_taux_pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_niveau_display()} {self.code_zone} ({self.annee}) : {self.taux} %"
