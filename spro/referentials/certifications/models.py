"""Certifications: the Éducation nationale nomenclatures (BCN) and the Certif Info referential (Carif-Oref).

Primary keys are the official codes (NSF code, BCN level code, CFD, Certif Info code), so that formations
and search link by code and a re-import keeps ids stable. `is_active` turns false when a code disappears
from a newer release instead of deleting rows that other data may still point to.

Links to another referential (a diploma's NSF group, a certification's CFD, a ROME fiche) keep the raw code
next to the foreign key: when the code is unknown to the other referential, the key is null and the code is
not lost.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class NsfCategorie(models.Model):
    """First digit of the NSF (nomenclature des spécialités de formation): disciplinaire, production…"""

    code = models.CharField("code", max_length=1, primary_key=True)
    libelle_court = models.CharField("libellé court", max_length=10, blank=True)
    libelle = models.CharField("libellé", max_length=100)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "catégorie NSF"
        verbose_name_plural = "catégories NSF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.libelle}"


class NsfDomaine(models.Model):
    """Two-digit NSF domain (e.g. 31 « Échanges et gestion »)."""

    code = models.CharField("code", max_length=2, primary_key=True)
    categorie = models.ForeignKey(
        NsfCategorie, on_delete=models.PROTECT, related_name="domaines", verbose_name="catégorie"
    )
    libelle = models.CharField("libellé", max_length=100)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "domaine NSF"
        verbose_name_plural = "domaines NSF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.libelle}"


class NsfGroupe(models.Model):
    """Three-digit NSF group (311 « Transport, manutention, magasinage »), as used by Certif Info and LHEO.

    Codes ending in 9 (229 « DO22 : TRANSFORMATIONS ») are domain-level aggregates of the BCN variant.
    """

    code = models.CharField("code NSF", max_length=3, primary_key=True)
    domaine = models.ForeignKey(NsfDomaine, on_delete=models.PROTECT, related_name="groupes")
    libelle = models.CharField("libellé", max_length=100)
    libelle_court = models.CharField("libellé court (33 car.)", max_length=40, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "groupe NSF"
        verbose_name_plural = "groupes NSF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.libelle}"


class NiveauFormation(models.Model):
    """BCN NIVEAU_FORMATION_DIPLOME: the diploma family and level (500 = CAP, 320 = BTS, 400 = Bac pro…)."""

    code = models.CharField("code niveau formation diplôme", max_length=3, primary_key=True)
    niveau_interministeriel = models.CharField("niveau interministériel", max_length=1, blank=True)
    libelle_court = models.CharField("libellé court", max_length=20, blank=True)
    libelle = models.CharField("libellé", max_length=120)
    niveau_rncp = models.CharField(
        "niveau de qualification RNCP",
        max_length=2,
        blank=True,
        help_text="01 à 08 ; 00 = sans niveau, 99 = non classé, XX = non renseigné (codes BCN)",
    )
    date_ouverture = models.DateField("date d'ouverture", null=True, blank=True)
    date_fermeture = models.DateField("date de fermeture", null=True, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "niveau de formation (BCN)"
        verbose_name_plural = "niveaux de formation (BCN)"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.libelle_court or self.code} – {self.libelle}"


class DiplomeBcnQuerySet(models.QuerySet):
    def ouverts(self, on: dt.date | None = None) -> DiplomeBcnQuerySet:
        """Diplomas open on `on` (today by default): no closing date, or a closing date not yet passed."""
        on = on or dt.date.today()
        return self.filter(Q(date_fermeture__isnull=True) | Q(date_fermeture__gte=on))


class DiplomeBcn(models.Model):
    """A diploma of the BCN by its CFD (code formation diplôme), open or closed.

    Whether it is open is computed from `date_fermeture` (`is_open`, `DiplomeBcn.objects.ouverts()`),
    not stored, so that it never goes stale between two imports.
    """

    code = models.CharField("code formation diplôme (CFD)", max_length=8, primary_key=True)
    code_niveau = models.CharField("code niveau (brut)", max_length=3, blank=True)
    niveau = models.ForeignKey(
        NiveauFormation, on_delete=models.PROTECT, null=True, blank=True, related_name="diplomes"
    )
    code_groupe_nsf = models.CharField("code NSF (brut)", max_length=3, blank=True)
    groupe_nsf = models.ForeignKey(
        NsfGroupe,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diplomes_bcn",
        verbose_name="groupe NSF",
    )
    lettre_specialite = models.CharField("lettre de spécialité", max_length=1, blank=True)
    libelle_court = models.CharField(
        "libellé court", max_length=20, blank=True, help_text="type de diplôme abrégé : CAP, BAC PRO, BTS…"
    )
    libelle_stat = models.CharField("libellé statistique (33 car.)", max_length=40, blank=True)
    libelle = models.CharField("libellé long", max_length=250)
    date_ouverture = models.DateField("date d'ouverture", null=True, blank=True)
    date_fermeture = models.DateField("date de fermeture", null=True, blank=True)
    annee_premiere_session = models.PositiveSmallIntegerField("première session", null=True, blank=True)
    annee_derniere_session = models.PositiveSmallIntegerField("dernière session", null=True, blank=True)
    nature = models.CharField("nature du diplôme (code BCN)", max_length=2, blank=True)
    gestionnaire = models.CharField("gestionnaire", max_length=40, blank=True)
    niveau_rncp = models.CharField("niveau de qualification RNCP", max_length=2, blank=True)
    cite_domaine = models.CharField("domaine CITE", max_length=4, blank=True)
    anciens_diplomes = models.JSONField("anciens diplômes (CFD)", default=list, blank=True)
    nouveaux_diplomes = models.JSONField("nouveaux diplômes (CFD)", default=list, blank=True)
    dans_nomenclature_courante = models.BooleanField(
        "dans N_FORMATION_DIPLOME",
        default=False,
        help_text="présent dans l'extrait N_FORMATION_DIPLOME (le plus récent) et non seulement dans la vue "
        "V_FORMATION_DIPLOME",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    objects = DiplomeBcnQuerySet.as_manager()

    class Meta:
        verbose_name = "diplôme (BCN)"
        verbose_name_plural = "diplômes (BCN)"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.libelle}"

    @property
    def is_open(self) -> bool:
        return self.date_fermeture is None or self.date_fermeture >= dt.date.today()


class DiplomeProfessionnel(models.Model):
    """The Éducation nationale list of professional diplomas (CAP, Bac pro, BP, BTS…), with CPC and RNCP code.

    Keyed by the printed diploma code and the first session: a renovated diploma may keep its code.
    """

    code_diplome = models.CharField("code diplôme (tel que publié)", max_length=16)
    annee_premiere_session = models.PositiveSmallIntegerField("première session")
    code_cfd = models.CharField("CFD", max_length=8, db_index=True)
    diplome = models.ForeignKey(
        DiplomeBcn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diplomes_professionnels",
        verbose_name="diplôme BCN",
    )
    cpc = models.CharField("commission professionnelle consultative", max_length=120)
    secteur = models.CharField("secteur", max_length=150, blank=True)
    niveau = models.CharField("niveau", max_length=20, blank=True)
    type_diplome = models.CharField("diplôme", max_length=60)
    intitule = models.CharField("intitulé de la spécialité", max_length=300)
    code_rncp = models.CharField("code RNCP", max_length=10, blank=True, db_index=True)
    date_arrete_creation = models.DateField("date de l'arrêté de création", null=True, blank=True)
    annee_derniere_session = models.PositiveSmallIntegerField("dernière session", null=True, blank=True)
    session_supplementaire = models.PositiveSmallIntegerField("session supplémentaire", null=True, blank=True)
    commentaire = models.TextField("commentaire", blank=True)
    famille_metiers = models.CharField("famille de métiers", max_length=200, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "diplôme professionnel"
        verbose_name_plural = "diplômes professionnels"
        ordering = ["code_diplome", "annee_premiere_session"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_diplome", "annee_premiere_session"], name="certif_diplome_pro_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type_diplome} {self.intitule} ({self.code_diplome})"


class Certification(models.Model):
    """A certification of Certif Info (diplôme, titre, CQP, habilitation…) by its Certif Info code."""

    code = models.CharField("code Certif Info", max_length=10, primary_key=True)
    libelle = models.CharField("libellé", max_length=500, db_index=True)
    type_libelle = models.CharField("type de diplôme", max_length=200)
    type_code = models.CharField("code type de diplôme", max_length=5, db_index=True)
    niveau_europeen = models.PositiveSmallIntegerField("niveau européen (CEC)", null=True, blank=True)
    date_maj = models.DateField("mise à jour Certif Info")
    formacode = models.CharField("Formacode", max_length=5, blank=True, db_index=True)
    formacode_libelle = models.CharField("libellé Formacode", max_length=200, blank=True)
    code_nsf = models.CharField("code NSF (brut)", max_length=3, blank=True)
    groupe_nsf = models.ForeignKey(
        NsfGroupe,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        verbose_name="groupe NSF",
    )
    code_rncp = models.CharField("code RNCP", max_length=10, blank=True, db_index=True)
    code_rs = models.CharField(
        "code RS",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="le premier code RS du fichier ; tous dans « codes RS »",
    )
    codes_rs = models.JSONField("codes RS", default=list, blank=True)
    code_cfd = models.CharField("CFD (code scolarité)", max_length=8, blank=True, db_index=True)
    diplome_bcn = models.ForeignKey(
        DiplomeBcn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        verbose_name="diplôme BCN",
    )
    certificateur = models.TextField("certificateur", blank=True)
    valideur = models.TextField("valideur", blank=True)
    annee_premiere_session = models.PositiveSmallIntegerField("première session", null=True, blank=True)
    annee_derniere_session = models.PositiveSmallIntegerField("dernière session", null=True, blank=True)
    etat = models.PositiveSmallIntegerField("état (code)")
    etat_libelle = models.CharField("état", max_length=80)
    acces_fi = models.BooleanField("accessible en formation initiale", null=True)
    acces_ca = models.BooleanField("accessible en contrat d'apprentissage", null=True)
    acces_fc = models.BooleanField("accessible en formation continue", null=True)
    acces_cp = models.BooleanField("accessible en contrat de professionnalisation", null=True)
    acces_vae = models.BooleanField("accessible par la VAE", null=True)
    acces_ind = models.BooleanField("accessible en candidature individuelle", null=True)
    code_ideo2 = models.CharField(
        "identifiant Onisep (ideo2)",
        max_length=12,
        blank=True,
        db_index=True,
        help_text="le premier du fichier ; tous dans « identifiants Onisep »",
    )
    codes_ideo2 = models.JSONField("identifiants Onisep", default=list, blank=True)
    code_ancien_diplome = models.CharField("code Certif Info de l'ancien diplôme", max_length=10, blank=True)
    intitule_ancien_diplome = models.CharField("intitulé de l'ancien diplôme", max_length=500, blank=True)
    code_ancien_rncp = models.CharField("code RNCP de l'ancien diplôme", max_length=10, blank=True)
    code_ancien_cfd = models.CharField("CFD de l'ancien diplôme", max_length=8, blank=True)
    codes_rome = models.JSONField(
        "codes ROME (bruts, dans l'ordre)",
        default=list,
        blank=True,
        help_text="tels que publiés par Certif Info, y compris ceux absents du ROME 4.0",
    )
    metiers = models.ManyToManyField(
        "rome.FicheMetier",
        through="CertificationMetier",
        blank=True,
        related_name="certifications",
        verbose_name="fiches métier (ROME 4.0)",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "certification"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class CertificationMetier(models.Model):
    """A certification leads to a ROME 4.0 fiche métier (Code_Rome_1..5 of Certif Info; `rang` = order).

    Only codes that exist in ROME 4.0 get a link; all the published codes stay in `Certification.codes_rome`.
    """

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="liens_metiers")
    fiche_metier = models.ForeignKey(
        "rome.FicheMetier",
        to_field="code_rome",
        on_delete=models.CASCADE,
        related_name="liens_certifications",
        verbose_name="fiche métier",
    )
    rang = models.PositiveSmallIntegerField("rang", help_text="1 à 5, dans l'ordre de Certif Info")

    class Meta:
        verbose_name = "lien certification – métier"
        verbose_name_plural = "liens certification – métier"
        ordering = ["certification", "rang"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "fiche_metier"], name="certif_certification_metier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification_id} → {self.fiche_metier_id}"
