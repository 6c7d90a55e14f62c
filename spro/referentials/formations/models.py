"""Initial-education formations: ONISEP Idéo catalogue, Parcoursup offers, master mentions, lycées.

Primary keys are official ids where the source has one (ONISEP ``FOR.nnnn``, UAI of a lycée), otherwise a
stable id derived from the official codes of the record (Parcoursup: hash of UAI + filière; master:
``INM-UAI``), so a re-import updates in place. `is_active` turns false when a record disappears from a
newer file.
"""

from django.db import models


class FormationOnisep(models.Model):
    """One formation of the ONISEP Idéo catalogue (national description, no establishment)."""

    id = models.CharField("identifiant ONISEP", max_length=12, primary_key=True, help_text="ex. FOR.6177")
    code_cnis = models.CharField("code CNIS", max_length=5, blank=True)
    type_sigle = models.CharField("sigle du type de formation", max_length=20, blank=True, db_index=True)
    type_libelle = models.CharField("type de formation", max_length=150, blank=True)
    libelle = models.CharField("libellé", max_length=300)
    sigle = models.CharField(max_length=30, blank=True)
    duree = models.CharField("durée", max_length=30, blank=True)
    code_rncp = models.CharField(
        "code RNCP",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="numéro de fiche RNCP, sans le préfixe « RNCP »",
    )
    niveau_rncp = models.CharField(
        "niveau RNCP (code ONISEP)",
        max_length=2,
        blank=True,
        help_text="ancienne nomenclature : 1 = bac + 5 … 5 = CAP ; 0 = non inscrit",
    )
    niveau_rncp_libelle = models.CharField("niveau RNCP", max_length=100, blank=True)
    niveau_europeen = models.PositiveSmallIntegerField(
        "niveau du cadre national des certifications",
        null=True,
        blank=True,
        help_text="3 (CAP) à 8 (doctorat), lu dans le libellé du niveau RNCP",
    )
    tutelle = models.CharField(max_length=200, blank=True)
    url = models.URLField("fiche onisep.fr", max_length=300)
    domaines = models.JSONField(default=list, help_text="liste de {domaine, sous_domaine}")
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "formation (ONISEP)"
        verbose_name_plural = "formations (ONISEP)"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class FormationParcoursup(models.Model):
    """One higher-education offer listed on Parcoursup, at one establishment (UAI), with its location.

    The extract has no Parcoursup formation id: `id` is the first 16 hex digits of
    sha1("<UAI>|<normalised filière>"), see `importers.parcoursup_id`.
    """

    id = models.CharField("identifiant SPRO", max_length=16, primary_key=True)
    statut = models.CharField("statut de l'établissement", max_length=60, blank=True)
    uai = models.CharField("code UAI", max_length=8, db_index=True)
    etablissement = models.CharField("établissement", max_length=200)
    region = models.CharField("région (libellé Parcoursup)", max_length=60, blank=True)
    filiere = models.CharField("filière de formation", max_length=300)
    type_formation = models.CharField(
        "type de formation",
        max_length=120,
        blank=True,
        db_index=True,
        help_text="premier segment de la filière (BTS, Licence, CPGE, BUT…)",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    nb_lignes_source = models.PositiveSmallIntegerField(
        "lignes du fichier fusionnées",
        default=1,
        help_text="lignes de l'extrait ayant le même UAI et la même filière (parcours non distingués)",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "formation (Parcoursup)"
        verbose_name_plural = "formations (Parcoursup)"
        ordering = ["etablissement", "filiere"]

    def __str__(self) -> str:
        return f"{self.filiere} – {self.etablissement}"


class MentionMaster(models.Model):
    """A master's mention accredited to one establishment (Trouver mon master), latest campaign kept."""

    id = models.CharField("identifiant SPRO", max_length=17, primary_key=True, help_text="« INM-UAI »")
    inm = models.CharField("identifiant navette de la mention (INM)", max_length=8, db_index=True)
    uai = models.CharField("code UAI de l'établissement accrédité", max_length=8, db_index=True)
    campagne = models.PositiveSmallIntegerField("campagne retenue (la plus récente)")
    campagnes = models.JSONField("campagnes où la mention figure", default=list)
    etablissement = models.CharField("établissement (nom officiel)", max_length=200)
    etablissement_nom_usage = models.CharField("nom d'usage", max_length=120, blank=True)
    adresse = models.CharField(max_length=120, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=120, blank=True)
    code_postal = models.CharField("code postal", max_length=5)
    ville = models.CharField(max_length=60)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions_master"
    )
    domaines = models.JSONField(default=list)
    intitule = models.CharField("intitulé de la mention", max_length=200)
    etat_accreditation = models.CharField("mention accréditée ou en cours", max_length=20, blank=True)
    accreditation_debut = models.PositiveSmallIntegerField("début d'accréditation", null=True, blank=True)
    accreditation_fin = models.PositiveSmallIntegerField("fin d'accréditation", null=True, blank=True)
    ouverte = models.BooleanField("mention ouverte", default=True)
    co_accreditation = models.TextField("établissements co-accrédités", blank=True)
    inscription_par_etablissement = models.BooleanField(
        "inscriptions faites par l'établissement", null=True, blank=True
    )
    modalites = models.JSONField("modalités d'enseignement", default=list)
    semestre_acces = models.CharField("semestre d'accès", max_length=20, blank=True)
    capacite_limitee = models.CharField(
        "capacité d'accueil limitée au S1", max_length=12, blank=True, help_text="Oui, Non, Sans objet"
    )
    capacite = models.PositiveIntegerField("capacité d'accueil au S1", null=True, blank=True)
    licences_conseillees = models.TextField("licences conseillées", blank=True)
    url = models.URLField("fiche de l'établissement", max_length=500, blank=True)
    id_paysage = models.CharField("identifiant Paysage de l'établissement", max_length=10, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "mention de master"
        verbose_name_plural = "mentions de master"
        ordering = ["intitule", "etablissement"]

    def __str__(self) -> str:
        return f"Master {self.intitule} – {self.etablissement}"


class Lycee(models.Model):
    """A lycée (general, technological, vocational or agricultural), keyed by its UAI."""

    uai = models.CharField("code UAI", max_length=8, primary_key=True)
    nom = models.CharField(max_length=200)
    ville = models.CharField(max_length=100, blank=True)
    code_postal = models.CharField("code postal", max_length=10, blank=True)
    pays = models.CharField("pays (ISO 3166)", max_length=2, default="FR")
    departement = models.ForeignKey(
        "geo.Departement", on_delete=models.SET_NULL, null=True, blank=True, related_name="lycees"
    )
    region = models.CharField("région", max_length=60, blank=True)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="lycees"
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "lycée"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.ville})" if self.ville else self.nom
