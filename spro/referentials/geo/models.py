"""Official geography (INSEE COG 2026): régions, départements, académies, EPCI, communes, bassins d'emploi.

Primary keys are the official codes, so that every other table links by code and a re-import keeps ids stable.
`is_active` turns false when a code disappears from a newer release (merged commune…), instead of deleting rows
that other data may still point to.
"""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    chef_lieu = models.CharField("chef-lieu (code commune)", max_length=5, blank=True)
    zone = models.CharField(max_length=5, help_text="metro, drom ou com")
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Academie(models.Model):
    code = models.CharField("code académie", max_length=2, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="academies", null=True, blank=True
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "académie"
        ordering = ["nom"]

    def __str__(self) -> str:
        return (
            f"Académie de {self.nom}" if not self.nom.startswith(("La ", "Le ")) else f"Académie {self.nom}"
        )


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    academie = models.ForeignKey(
        Academie, on_delete=models.PROTECT, related_name="departements", null=True, blank=True
    )
    chef_lieu = models.CharField("chef-lieu (code commune)", max_length=5, blank=True)
    zone = models.CharField(max_length=5)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=10, help_text="CC, CA, CU, METRO, MET69")
    population = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class BassinEmploi(models.Model):
    """Bassin d'emploi of France Travail's BMO survey (2019 zoning), the unit of the tension indicators."""

    code = models.CharField("code BMO", max_length=6, primary_key=True)
    nom = models.CharField(max_length=100)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "bassin d'emploi"
        verbose_name_plural = "bassins d'emploi"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    class Type(models.TextChoices):
        COMMUNE = "commune-actuelle", "commune"
        ARRONDISSEMENT = "arrondissement-municipal", "arrondissement municipal"

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=100, db_index=True)
    type = models.CharField(max_length=30, choices=Type.choices)
    commune_parente = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="arrondissements"
    )
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes")
    bassin_emploi = models.ForeignKey(
        BassinEmploi, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    codes_postaux = models.JSONField("codes postaux", default=list)
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coord_source = models.CharField("origine des coordonnées", max_length=40, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["nom"]
        indexes = [models.Index(fields=["departement", "nom"])]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement_id})"
