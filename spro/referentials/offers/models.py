"""Continuing-education offers exchanged in LHÉO 2.3 (Réseau des Carif-Oref): organisme → formation → action →
session.

Keys are the identifiers of the file (`numero` attributes, SIRET), so that a re-import updates rows in place
and keeps primary keys stable. What LHÉO carries but these models do not type is kept in the `extras` JSON
field (element name → value), never dropped. Raw codes stay in JSON lists even when a referential link is
dropped."""

from django.db import models

NIVEAUX = [
    ("0", "information non communiquée"),
    ("1", "sans niveau spécifique"),
    ("2", "niveau VI (illettrisme, analphabétisme)"),
    ("3", "niveau V bis (préqualification)"),
    ("4", "niveau V (CAP, BEP, CFPA du premier degré)"),
    ("5", "niveau IV (BP, BT, baccalauréat professionnel ou technologique)"),
    ("6", "niveau III (BTS, DUT)"),
    ("7", "niveau II (licence ou maîtrise universitaire)"),
    ("8", "niveau I (supérieur à la maîtrise)"),
    # LHÉO 2.3 adds codes for the 2019 national framework of certification levels (labels not published in
    # the files we have: kept as codes).
    *[(str(code), f"code {code} (nomenclature des niveaux LHÉO 2.3)") for code in range(11, 19)],
]


class OrganismeFormation(models.Model):
    """The organisme de formation responsable of one or more offers, keyed by SIRET."""

    siret = models.CharField("SIRET", max_length=14, primary_key=True)
    numero_activite = models.CharField("numéro de déclaration d'activité", max_length=11, blank=True)
    nom = models.CharField("nom de l'organisme", max_length=255)
    raison_sociale = models.CharField("raison sociale", max_length=255, blank=True)
    adresse = models.JSONField("adresse", default=dict, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organismes_formation",
        db_constraint=True,
    )
    telephone = models.CharField("téléphone", max_length=50, blank=True)
    courriel = models.CharField(max_length=255, blank=True)
    site_web = models.CharField("site web", max_length=400, blank=True)
    code_uai = models.CharField("code UAI", max_length=8, blank=True)
    extras = models.JSONField("autres informations LHÉO", default=dict, blank=True)
    content_hash = models.CharField("empreinte du contenu importé", max_length=40, editable=False)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.siret})"


class Formation(models.Model):
    """One <formation> (an offer): what is taught, to which certification; its actions say where and when."""

    class Parcours(models.TextChoices):
        GROUPE = "1", "en groupe"
        INDIVIDUALISE = "2", "individualisé"
        MODULAIRE = "3", "modularisé"
        MIXTE = "4", "mixte"

    numero = models.CharField(
        "identifiant LHÉO",
        max_length=255,
        unique=True,
        help_text="attribut numero (à défaut id) de <formation>",
    )
    intitule = models.CharField("intitulé", max_length=255)
    objectif = models.TextField("objectif", blank=True)
    resultats_attendus = models.TextField("résultats attendus", blank=True)
    contenu = models.TextField("contenu", blank=True)
    certifiante = models.BooleanField(default=False)
    formacode_principal = models.CharField("FORMACODE principal", max_length=10, blank=True)
    codes_formacode = models.JSONField("codes FORMACODE", default=list, blank=True)
    codes_nsf = models.JSONField("codes NSF", default=list, blank=True)
    codes_rome = models.JSONField("codes ROME (tels que dans le fichier)", default=list, blank=True)
    fiches_rome = models.ManyToManyField(
        "rome.FicheMetier",
        through="FormationRome",
        blank=True,
        related_name="offres_formation",
        verbose_name="fiches ROME",
    )
    codes_rncp = models.JSONField("codes RNCP", default=list, blank=True)
    codes_certifinfo = models.JSONField("codes CERTIFINFO", default=list, blank=True)
    codes_rs = models.JSONField("codes RS (répertoire spécifique)", default=list, blank=True)
    parcours = models.CharField("parcours de formation", max_length=1, choices=Parcours.choices, blank=True)
    niveau_entree = models.CharField("niveau à l'entrée", max_length=2, choices=NIVEAUX, blank=True)
    niveau_sortie = models.CharField("niveau à la sortie", max_length=2, choices=NIVEAUX, blank=True)
    objectif_general = models.CharField("objectif général (code)", max_length=1, blank=True)
    url = models.CharField("URL de la formation", max_length=400, blank=True)
    organisme = models.ForeignKey(
        OrganismeFormation,
        on_delete=models.PROTECT,
        related_name="formations",
        verbose_name="organisme responsable",
    )
    extras = models.JSONField("autres informations LHÉO", default=dict, blank=True)
    content_hash = models.CharField(
        "empreinte du contenu importé",
        max_length=40,
        editable=False,
        help_text="permet de sauter les offres inchangées lors d'un nouvel import",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "offre de formation"
        verbose_name_plural = "offres de formation"
        ordering = ["intitule"]

    def __str__(self) -> str:
        return self.intitule


class FormationRome(models.Model):
    """Link from an offer to a ROME 4.0 fiche; a code absent from ROME 4.0 has no link (warning at import)."""

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="liens_rome")
    fiche = models.ForeignKey("rome.FicheMetier", on_delete=models.CASCADE, related_name="liens_offres")

    class Meta:
        verbose_name = "lien offre – fiche ROME"
        verbose_name_plural = "liens offres – fiches ROME"
        constraints = [
            models.UniqueConstraint(fields=["formation", "fiche"], name="offers_formationrome_unique")
        ]

    def __str__(self) -> str:
        return f"{self.formation_id} → {self.fiche_id}"


class Action(models.Model):
    """One <action>: how, where and for whom an offer is delivered."""

    class Enseignement(models.TextChoices):
        PRESENTIEL = "0", "formation entièrement présentielle"
        MIXTE = "1", "formation mixte"
        DISTANCE = "2", "formation entièrement à distance"

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="actions")
    numero = models.CharField(
        "identifiant LHÉO",
        max_length=255,
        help_text="attribut numero de <action>, à défaut son rang (#1, #2…)",
    )
    rythme = models.TextField("rythme de la formation", blank=True)
    codes_public_vise = models.JSONField("codes public visé (FORMACODE)", default=list, blank=True)
    info_public_vise = models.TextField("public visé", blank=True)
    niveau_entree_obligatoire = models.BooleanField("niveau d'entrée obligatoire", default=False)
    modalites_alternance = models.TextField("modalités de l'alternance", blank=True)
    modalites_enseignement = models.CharField(
        "enseignement à distance", max_length=1, choices=Enseignement.choices, blank=True
    )
    conditions_specifiques = models.TextField("conditions spécifiques et prérequis", blank=True)
    prise_en_charge_frais_possible = models.BooleanField("prise en charge des frais possible", default=False)
    detail_conditions_prise_en_charge = models.TextField(
        "détail des conditions de prise en charge", blank=True
    )
    financeurs = models.JSONField(
        "organismes financeurs",
        default=list,
        blank=True,
        help_text='[{"code": "2", "nb_places": 12}] (codes du dictionnaire LHÉO)',
    )
    conventionnement = models.BooleanField(null=True, blank=True)
    entrees_sorties_permanentes = models.BooleanField("entrées/sorties permanentes", default=False)
    lieu_nom = models.CharField("lieu de formation", max_length=255, blank=True)
    lieu_adresse = models.JSONField("adresse du lieu de formation", default=dict, blank=True)
    lieu_code_insee = models.CharField(
        "code INSEE du lieu (tel que dans le fichier)", max_length=5, blank=True
    )
    lieu_commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_formation",
        verbose_name="commune du lieu",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    url = models.CharField("URL de l'action", max_length=400, blank=True)
    duree_indicative = models.CharField("durée indicative", max_length=150, blank=True)
    nombre_heures_centre = models.PositiveIntegerField("heures en centre", null=True, blank=True)
    nombre_heures_entreprise = models.PositiveIntegerField("heures en entreprise", null=True, blank=True)
    nombre_heures_total = models.PositiveIntegerField("heures au total", null=True, blank=True)
    prix_horaire_ttc = models.DecimalField(
        "prix horaire TTC (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    prix_total_ttc = models.DecimalField(
        "prix total TTC (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    hebergement = models.TextField("hébergement", blank=True)
    restauration = models.TextField(blank=True)
    transport = models.TextField(blank=True)
    acces_handicapes = models.TextField("accès des personnes handicapées", blank=True)
    modalites_recrutement = models.TextField("modalités de recrutement", blank=True)
    modalites_pedagogiques = models.TextField("modalités pédagogiques", blank=True)
    extras = models.JSONField("autres informations LHÉO", default=dict, blank=True)

    class Meta:
        verbose_name = "action de formation"
        verbose_name_plural = "actions de formation"
        ordering = ["formation", "numero"]
        constraints = [models.UniqueConstraint(fields=["formation", "numero"], name="offers_action_unique")]

    def __str__(self) -> str:
        return f"{self.formation_id}/{self.numero}"


class Session(models.Model):
    """One <session> of an action: its period and where to register."""

    class EtatRecrutement(models.TextChoices):
        OUVERT = "1", "ouvert"
        FERME = "2", "fermé"
        SUSPENDU = "3", "suspendu"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sessions")
    numero = models.CharField(
        "identifiant LHÉO",
        max_length=255,
        help_text="attribut numero de <session>, à défaut son rang (#1, #2…)",
    )
    debut = models.DateField(
        "début",
        null=True,
        blank=True,
        help_text="vide si le fichier donne 00000000 (inconnu) ou 99999999 (permanent)",
    )
    fin = models.DateField(null=True, blank=True)
    adresse_inscription = models.JSONField("adresse d'inscription", default=dict, blank=True)
    modalites_inscription = models.TextField("modalités d'inscription", blank=True)
    etat_recrutement = models.CharField(
        "état du recrutement", max_length=1, choices=EtatRecrutement.choices, blank=True
    )
    url = models.CharField("URL de la session", max_length=400, blank=True)
    extras = models.JSONField("autres informations LHÉO", default=dict, blank=True)

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["action", "debut", "numero"]
        constraints = [models.UniqueConstraint(fields=["action", "numero"], name="offers_session_unique")]

    def __str__(self) -> str:
        return f"{self.action_id}/{self.numero}"
