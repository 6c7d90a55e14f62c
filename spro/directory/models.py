"""Structures and services of the SPRO network, in the data·inclusion v1 shape with the SPRO extensions.

Field names are those of the data·inclusion v1 schema (`nom`, `date_maj`, `horaires_accueil`, `zone_eligibilite`…)
so that import and export are a plain mapping. The SPRO extensions (docs/directory.md) are:

* `typologie` (data·inclusion v0 typologies + CIO, APEC, TRANSITIONS_PRO, CEP, SCUIO, PSAD, DAVA);
* `publics` / `age_min` / `age_max` on the structure too (data·inclusion only has publics on services);
* `langues` (ISO 639; `fsl` is the French Sign Language), `canaux` (sur-place, telephone, visio, courriel, chat);
* `accessibilite_pmr` (step-free access for wheelchair users) and `accessibilite_precisions`, next to the
  data·inclusion Acceslibre link `accessibilite_lieu`;
* `fermetures_temporaires`: `[{"debut": "YYYY-MM-DD", "fin": "YYYY-MM-DD", "motif": "…"}]`;
* `zone_competence`: COG codes (commune, EPCI SIREN, département) or `france`, like data·inclusion's
  `zone_eligibilite`, mirrored in the indexed `ZoneCompetence` table for "does it cover commune X";
* `date_verification` (last time a person checked the record) and `demo` (built-in demonstration data).

Records keep their data·inclusion identity: `di_id` (`<source>--<producer id>`) and `source`. A record that
vanished from a newer import of its source is retired (`is_active=False`), never deleted.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q

from spro.referentials.geo.models import Commune

#: A record not verified for this many days is "à vérifier" (6 months).
STALE_AFTER_DAYS = 183


def stale_before(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) - dt.timedelta(days=STALE_AFTER_DAYS)


class StructureQuerySet(models.QuerySet):
    def active(self) -> StructureQuerySet:
        return self.filter(is_active=True)

    def stale(self, today: dt.date | None = None) -> StructureQuerySet:
        """Records whose last verification (or, failing that, last update) is older than six months."""
        limit = stale_before(today)
        return self.filter(
            Q(date_verification__lt=limit) | Q(date_verification__isnull=True, date_maj__lt=limit)
        )

    def covering(self, commune: Commune) -> StructureQuerySet:
        """Structures whose zone of competence includes `commune` (structures with no zone declared included)."""
        no_zone = ~Exists(ZoneCompetence.objects.filter(structure=OuterRef("pk")))
        return self.filter(no_zone | Exists(ZoneCompetence.covering(commune)))


class Structure(models.Model):
    di_id = models.CharField("identifiant data·inclusion", max_length=200, unique=True)
    source = models.CharField(max_length=100, db_index=True)
    nom = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    typologie = models.CharField(max_length=30, blank=True, db_index=True)
    reseaux_porteurs = models.JSONField("réseaux porteurs", default=list, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, db_index=True)
    lien_source = models.URLField(max_length=2083, blank=True)
    site_web = models.URLField(max_length=2083, blank=True)
    telephone = models.CharField("téléphone", max_length=100, blank=True)
    courriel = models.EmailField(blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=300, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="structures"
    )
    commune_nom = models.CharField("commune (libellé)", max_length=150, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    horaires_accueil = models.CharField("horaires d'accueil (OSM)", max_length=500, blank=True)
    accessibilite_lieu = models.URLField("lien Acceslibre", max_length=2083, blank=True)
    accessibilite_pmr = models.BooleanField("accessible en fauteuil roulant", null=True, blank=True)
    accessibilite_precisions = models.TextField("précisions sur l'accessibilité", blank=True)
    publics = models.JSONField(default=list, blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    langues = models.JSONField(default=list, blank=True)
    canaux = models.JSONField(default=list, blank=True)
    fermetures_temporaires = models.JSONField("fermetures temporaires", default=list, blank=True)
    zone_competence = models.JSONField("zone de compétence", default=list, blank=True)
    date_maj = models.DateField("date de mise à jour")
    date_verification = models.DateField("dernière vérification", null=True, blank=True)
    demo = models.BooleanField("données de démonstration", default=False)
    is_active = models.BooleanField("active", default=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        ordering = ["nom", "id"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="directory_structure_latlon"),
            models.Index(fields=["typologie", "latitude"], name="directory_structure_typo_lat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="directory_structure_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def is_stale(self) -> bool:
        reference = self.date_verification or self.date_maj
        return reference < stale_before()

    def rebuild_zones(self) -> None:
        """Make the indexed ZoneCompetence rows equal to `zone_competence` (after an edit by hand)."""
        wanted = {(ZoneCompetence.niveau_of(code), code) for code in self.zone_competence or []}
        wanted.discard((None, None))
        current = {(z.niveau, z.code): z.pk for z in self.zones.all()}
        ZoneCompetence.objects.filter(
            pk__in=[pk for key, pk in current.items() if key not in wanted]
        ).delete()
        ZoneCompetence.objects.bulk_create(
            [ZoneCompetence(structure=self, niveau=n, code=c) for n, c in wanted - set(current) if n]
        )

    def closure_on(self, day: dt.date) -> dict | None:
        for closure in self.fermetures_temporaires or []:
            if closure.get("debut", "") <= day.isoformat() <= closure.get("fin", ""):
                return closure
        return None


class Service(models.Model):
    di_id = models.CharField("identifiant data·inclusion", max_length=200, unique=True)
    source = models.CharField(max_length=100, db_index=True)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    nom = models.CharField(max_length=150)
    description = models.TextField()
    type = models.CharField(max_length=30, blank=True)
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    frais = models.CharField(max_length=20, blank=True)
    frais_precisions = models.TextField(blank=True)
    publics = models.JSONField(default=list, blank=True)
    publics_precisions = models.TextField(blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    conditions_acces = models.TextField("conditions d'accès", blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    complement_adresse = models.CharField(max_length=300, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    code_insee = models.CharField(max_length=5, blank=True)
    commune_nom = models.CharField(max_length=150, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    telephone = models.CharField(max_length=100, blank=True)
    courriel = models.EmailField(blank=True)
    contact_nom_prenom = models.CharField(max_length=200, blank=True)
    modes_accueil = models.JSONField(default=list, blank=True)
    zone_eligibilite = models.JSONField("zone d'éligibilité", default=list, blank=True)
    lien_mobilisation = models.URLField(max_length=2083, blank=True)
    modes_mobilisation = models.JSONField(default=list, blank=True)
    mobilisable_par = models.JSONField(default=list, blank=True)
    mobilisation_precisions = models.TextField(blank=True)
    volume_horaire_hebdomadaire = models.FloatField(null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(null=True, blank=True)
    horaires_accueil = models.CharField(max_length=500, blank=True)
    lien_source = models.URLField(max_length=2083, blank=True)
    langues = models.JSONField(default=list, blank=True)
    canaux = models.JSONField(default=list, blank=True)
    date_maj = models.DateField("date de mise à jour")
    date_verification = models.DateField("dernière vérification", null=True, blank=True)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "service"
        ordering = ["nom", "id"]

    def __str__(self) -> str:
        return self.nom


class ZoneCompetence(models.Model):
    """One code of a structure's zone of competence, indexed so that "covers commune X" is one lookup."""

    class Niveau(models.TextChoices):
        COMMUNE = "commune", "commune"
        EPCI = "epci", "EPCI"
        DEPARTEMENT = "departement", "département"
        FRANCE = "france", "France entière"

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="zones")
    niveau = models.CharField(max_length=12, choices=Niveau.choices)
    code = models.CharField(max_length=9)

    class Meta:
        verbose_name = "zone de compétence"
        verbose_name_plural = "zones de compétence"
        constraints = [
            models.UniqueConstraint(fields=["structure", "niveau", "code"], name="directory_zone_unique")
        ]
        indexes = [models.Index(fields=["niveau", "code"], name="directory_zone_lookup")]

    def __str__(self) -> str:
        return f"{self.get_niveau_display()} {self.code}"

    @classmethod
    def niveau_of(cls, code: str) -> str | None:
        if code == "france":
            return cls.Niveau.FRANCE
        if len(code) == 9 and code.isdigit():
            return cls.Niveau.EPCI
        if len(code) == 5:
            return cls.Niveau.COMMUNE
        if len(code) in (2, 3):
            return cls.Niveau.DEPARTEMENT
        return None

    @classmethod
    def covering(cls, commune: Commune) -> models.QuerySet:
        """Zones (correlated to an outer Structure) that include `commune`."""
        codes = Q(niveau=cls.Niveau.FRANCE) | Q(niveau=cls.Niveau.COMMUNE, code=commune.code_insee)
        if commune.commune_parente_id:
            codes |= Q(niveau=cls.Niveau.COMMUNE, code=commune.commune_parente_id)
        if commune.epci_id:
            codes |= Q(niveau=cls.Niveau.EPCI, code=commune.epci_id)
        codes |= Q(niveau=cls.Niveau.DEPARTEMENT, code=commune.departement_id)
        return cls.objects.filter(codes, structure=OuterRef("pk"))
