"""ROME 4.0 (France Travail): fiches métiers, appellations, compétences, savoirs, contextes, mobilités, tags.

Primary keys are France Travail's official codes (code ROME, code OGR…), so that every other referential
links by code and a newer release updates rows in place. Entities carry `is_active`: a code that disappears
from a newer release is retired, not deleted, because offers, certifications or saved searches may still
point to it. Link tables (fiche ↔ compétence…) have an automatic key and are rewritten to match the files.
"""

from __future__ import annotations

from django.db import models

RIASEC_CHOICES = [
    ("R", "Réaliste"),
    ("I", "Investigateur"),
    ("A", "Artistique"),
    ("S", "Social"),
    ("E", "Entreprenant"),
    ("C", "Conventionnel"),
]

#: `transition_eco` labels that mean the job takes part in the ecological transition (the others are
#: "Emploi Blanc", neutral, and "Emploi Brun", carbon-intensive).
TRANSITION_ECO_LABELS = ("Emploi Vert", "Emploi stratégique pour la Transition écologique")


class Coherence(models.TextChoices):
    """unix_coherence_item: how central an item is to the fiche."""

    AUCUNE = "", "—"
    PRINCIPALE = "Principale", "principale (cœur de métier)"
    EMERGENTE = "Émergente", "émergente"


class TransitionFlagsMixin(models.Model):
    """The five tags of a fiche or an appellation, stored as the file gives them.

    `transition_eco` is a label ("Emploi Vert"…); `transition_num` and `transition_demo` are "O", "N" or
    empty in the file and are kept verbatim so that a new label in a future release is not lost; the
    properties turn them into booleans.
    """

    transition_eco = models.CharField("transition écologique", max_length=100, blank=True)
    transition_num = models.CharField("transition numérique", max_length=100, blank=True)
    transition_demo = models.CharField("transition démographique", max_length=100, blank=True)
    emploi_reglemente = models.BooleanField("emploi réglementé", null=True, blank=True)
    emploi_cadre = models.BooleanField("emploi cadre", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def est_transition_ecologique(self) -> bool:
        return self.transition_eco in TRANSITION_ECO_LABELS

    @property
    def est_transition_numerique(self) -> bool:
        return self.transition_num == "O"

    @property
    def est_transition_demographique(self) -> bool:
        return self.transition_demo == "O"


class GrandDomaine(models.Model):
    code = models.CharField("code", max_length=1, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "grand domaine"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"


class DomaineProfessionnel(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    grand_domaine = models.ForeignKey(
        GrandDomaine, on_delete=models.PROTECT, related_name="domaines", verbose_name="grand domaine"
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "domaine professionnel"
        verbose_name_plural = "domaines professionnels"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"


class Competence(models.Model):
    """A savoir-faire, a savoir-être professionnel or a macro-compétence (which groups compétences)."""

    class Nature(models.TextChoices):
        COMPETENCE = "COMPETENCE", "compétence"
        MACRO = "MACRO", "macro-compétence"

    class Categorie(models.TextChoices):
        SAVOIR_FAIRE = "SAVOIR_FAIRE", "savoir-faire"
        SAVOIR_ETRE = "SAVOIR_ETRE", "savoir-être professionnel"

    code_ogr = models.CharField("code OGR", max_length=10, primary_key=True)
    nature = models.CharField("nature", max_length=10, choices=Nature.choices)
    libelle = models.CharField("libellé", max_length=300)
    definition = models.TextField("définition", blank=True)
    macro_competence = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competences",
        verbose_name="macro-compétence",
    )
    code_macro = models.CharField("code macro-compétence", max_length=10, blank=True)
    categorie = models.CharField("catégorie", max_length=12, choices=Categorie.choices)
    sous_categorie = models.CharField("sous-catégorie", max_length=100, blank=True)
    transition_eco = models.BooleanField("transition écologique", null=True, blank=True)
    transition_num = models.BooleanField("transition numérique", null=True, blank=True)
    heterogeneite = models.CharField("hétérogénéité", max_length=40, blank=True)
    origine = models.CharField("origine", max_length=40, blank=True)
    riasec_majeur = models.CharField("RIASEC majeur", max_length=1, blank=True, choices=RIASEC_CHOICES)
    riasec_mineur = models.CharField("RIASEC mineur", max_length=1, blank=True, choices=RIASEC_CHOICES)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "compétence"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class Savoir(models.Model):
    code_ogr = models.CharField("code OGR", max_length=10, primary_key=True)
    libelle = models.CharField("libellé", max_length=300)
    categorie = models.CharField("catégorie", max_length=100, blank=True)
    sous_categorie = models.CharField("sous-catégorie", max_length=100, blank=True)
    transition_eco = models.BooleanField("transition écologique", null=True, blank=True)
    transition_num = models.BooleanField("transition numérique", null=True, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "savoir"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class ContexteTravail(models.Model):
    code_ogr = models.CharField("code OGR", max_length=10, primary_key=True)
    libelle = models.CharField("libellé", max_length=300)
    code_type = models.CharField("code du type", max_length=5)
    libelle_type = models.CharField("type de contexte", max_length=100)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "contexte de travail"
        verbose_name_plural = "contextes de travail"
        ordering = ["code_type", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class CentreInteret(models.Model):
    code = models.CharField("code", max_length=5, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "centre d'intérêt"
        verbose_name_plural = "centres d'intérêt"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class SecteurActivite(models.Model):
    code = models.CharField("code", max_length=5, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "secteur d'activité"
        verbose_name_plural = "secteurs d'activité"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class SousSecteurActivite(models.Model):
    code = models.CharField("code", max_length=5, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    secteur = models.ForeignKey(
        SecteurActivite,
        on_delete=models.PROTECT,
        related_name="sous_secteurs",
        verbose_name="secteur d'activité",
    )
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "sous-secteur d'activité"
        verbose_name_plural = "sous-secteurs d'activité"
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class Theme(models.Model):
    code = models.CharField("code", max_length=5, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "thème"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.libelle


class SecteurNaf(models.Model):
    """A NAF division as ROME groups it ("0" = transverse to all sectors); the key is the file's NAF code."""

    code = models.CharField("code secteur NAF", max_length=5, primary_key=True)
    code_technique = models.CharField("code technique", max_length=5)
    libelle = models.CharField("libellé", max_length=200)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "secteur NAF"
        verbose_name_plural = "secteurs NAF"
        ordering = ["code_technique"]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"


class FicheMetier(TransitionFlagsMixin):
    """One ROME 4.0 fiche. `definition` and `acces_metier` keep one sentence or bullet per line, in order.

    In `definition` the first line is the introductory sentence and the following lines are the activities
    (shown as bullets by France Travail); `acces_metier` is a sequence of sentences.
    """

    code_rome = models.CharField("code ROME", max_length=5, primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    code_ogr = models.CharField("code OGR", max_length=10, db_index=True)
    code_fiche_metier = models.CharField("code fiche métier", max_length=10, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enfants",
        verbose_name="fiche parente",
        help_text="vide quand la fiche est sa propre fiche parente",
    )
    domaine_professionnel = models.ForeignKey(
        DomaineProfessionnel,
        on_delete=models.PROTECT,
        related_name="fiches",
        verbose_name="domaine professionnel",
    )
    riasec_majeur = models.CharField("RIASEC majeur", max_length=1, blank=True, choices=RIASEC_CHOICES)
    riasec_mineur = models.CharField("RIASEC mineur", max_length=1, blank=True, choices=RIASEC_CHOICES)
    definition = models.TextField("définition", blank=True)
    acces_metier = models.TextField("accès au métier", blank=True)
    is_active = models.BooleanField("en vigueur", default=True)

    competences = models.ManyToManyField(
        Competence, through="FicheCompetence", related_name="fiches", verbose_name="compétences"
    )
    savoirs = models.ManyToManyField(Savoir, through="FicheSavoir", related_name="fiches")
    contextes = models.ManyToManyField(
        ContexteTravail,
        through="FicheContexteTravail",
        related_name="fiches",
        verbose_name="contextes de travail",
    )
    mobilites = models.ManyToManyField(
        "self",
        through="Mobilite",
        symmetrical=False,
        through_fields=("fiche_source", "fiche_cible"),
        related_name="mobilites_entrantes",
        verbose_name="mobilités",
    )
    centres_interet = models.ManyToManyField(
        CentreInteret, through="FicheCentreInteret", related_name="fiches", verbose_name="centres d'intérêt"
    )
    secteurs_activite = models.ManyToManyField(
        SecteurActivite,
        through="FicheSecteurActivite",
        related_name="fiches",
        verbose_name="secteurs d'activité",
    )
    sous_secteurs_activite = models.ManyToManyField(
        SousSecteurActivite,
        through="FicheSousSecteurActivite",
        related_name="fiches",
        verbose_name="sous-secteurs d'activité",
    )
    themes = models.ManyToManyField(Theme, through="FicheTheme", related_name="fiches", verbose_name="thèmes")
    secteurs_naf = models.ManyToManyField(
        SecteurNaf, through="FicheSecteurNaf", related_name="fiches", verbose_name="secteurs NAF"
    )

    class Meta:
        verbose_name = "fiche métier"
        verbose_name_plural = "fiches métiers"
        ordering = ["code_rome"]

    def __str__(self) -> str:
        return f"{self.code_rome} — {self.libelle}"

    @property
    def definition_phrases(self) -> list[str]:
        return [line for line in self.definition.split("\n") if line]

    @property
    def acces_metier_phrases(self) -> list[str]:
        return [line for line in self.acces_metier.split("\n") if line]

    @property
    def fiche_parente(self) -> FicheMetier:
        """The fiche itself when it has no other parent (the file then names itself)."""
        return self.parent or self


class Appellation(TransitionFlagsMixin):
    class Classification(models.TextChoices):
        PRINCIPALE = "PRINCIPALE", "principale"
        SYNONYME = "SYNONYME", "synonyme"

    code_ogr = models.CharField("code OGR", max_length=10, primary_key=True)
    libelle_long = models.CharField("libellé", max_length=200, db_index=True)
    libelle_court = models.CharField("libellé court", max_length=100)
    fiche = models.ForeignKey(
        FicheMetier, on_delete=models.PROTECT, related_name="appellations", verbose_name="fiche métier"
    )
    fiche_parente = models.ForeignKey(
        FicheMetier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fiche parente (code_rome_parent)",
    )
    classification = models.CharField("classification", max_length=10, choices=Classification.choices)
    origine = models.CharField("origine", max_length=100, blank=True)
    peu_usite = models.BooleanField("peu usité", default=False)
    is_active = models.BooleanField("en vigueur", default=True)

    class Meta:
        verbose_name = "appellation"
        ordering = ["libelle_long"]

    def __str__(self) -> str:
        return self.libelle_long


class FicheCompetence(models.Model):
    """Bloc 5 of a fiche, rubriques 1 (savoir-faire) and 2 (savoir-être), with unix_coherence_item's flag."""

    class Rubrique(models.IntegerChoices):
        SAVOIR_FAIRE = 1, "savoir-faire"
        SAVOIR_ETRE = 2, "savoir-être professionnels"

    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_competences")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="liens_fiches")
    rubrique = models.PositiveSmallIntegerField("rubrique", choices=Rubrique.choices)
    coherence = models.CharField("cohérence", max_length=20, blank=True, choices=Coherence.choices)
    coeur_metier = models.BooleanField("cœur de métier", default=False)

    class Meta:
        verbose_name = "compétence d'une fiche"
        verbose_name_plural = "compétences des fiches"
        constraints = [
            models.UniqueConstraint(fields=["fiche", "competence"], name="rome_fiche_competence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.competence_id}"


class FicheSavoir(models.Model):
    """Bloc 5 rubrique 3 of a fiche."""

    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_savoirs")
    savoir = models.ForeignKey(Savoir, on_delete=models.CASCADE, related_name="liens_fiches")
    coherence = models.CharField("cohérence", max_length=20, blank=True, choices=Coherence.choices)
    coeur_metier = models.BooleanField("cœur de métier", default=False)

    class Meta:
        verbose_name = "savoir d'une fiche"
        verbose_name_plural = "savoirs des fiches"
        constraints = [models.UniqueConstraint(fields=["fiche", "savoir"], name="rome_fiche_savoir_unique")]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.savoir_id}"


class FicheContexteTravail(models.Model):
    """Bloc 6 of a fiche."""

    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_contextes")
    contexte = models.ForeignKey(ContexteTravail, on_delete=models.CASCADE, related_name="liens_fiches")

    class Meta:
        verbose_name = "contexte de travail d'une fiche"
        verbose_name_plural = "contextes de travail des fiches"
        constraints = [
            models.UniqueConstraint(fields=["fiche", "contexte"], name="rome_fiche_contexte_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.contexte_id}"


class Mobilite(models.Model):
    """Bloc 8: a fiche towards which one can move from `fiche_source`, ranked by `numero_ordre`."""

    fiche_source = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_mobilites")
    fiche_cible = models.ForeignKey(
        FicheMetier, on_delete=models.CASCADE, related_name="liens_mobilites_entrantes"
    )
    numero_ordre = models.PositiveSmallIntegerField("ordre")

    class Meta:
        verbose_name = "mobilité"
        ordering = ["fiche_source", "numero_ordre"]
        constraints = [
            models.UniqueConstraint(fields=["fiche_source", "fiche_cible"], name="rome_mobilite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche_source_id} → {self.fiche_cible_id} ({self.numero_ordre})"


class FicheCentreInteret(models.Model):
    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_centres_interet")
    centre_interet = models.ForeignKey(CentreInteret, on_delete=models.CASCADE, related_name="liens_fiches")
    principal = models.BooleanField("principal", default=False)

    class Meta:
        verbose_name = "centre d'intérêt d'une fiche"
        verbose_name_plural = "centres d'intérêt des fiches"
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "centre_interet"], name="rome_fiche_centre_interet_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.centre_interet_id}"


class FicheSecteurActivite(models.Model):
    """`principal` is true when the file marks this secteur as the fiche's main one."""

    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_secteurs_activite")
    secteur = models.ForeignKey(SecteurActivite, on_delete=models.CASCADE, related_name="liens_fiches")
    principal = models.BooleanField("principal", default=False)

    class Meta:
        verbose_name = "secteur d'activité d'une fiche"
        verbose_name_plural = "secteurs d'activité des fiches"
        constraints = [models.UniqueConstraint(fields=["fiche", "secteur"], name="rome_fiche_secteur_unique")]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.secteur_id}"


class FicheSousSecteurActivite(models.Model):
    fiche = models.ForeignKey(
        FicheMetier, on_delete=models.CASCADE, related_name="liens_sous_secteurs_activite"
    )
    sous_secteur = models.ForeignKey(
        SousSecteurActivite, on_delete=models.CASCADE, related_name="liens_fiches"
    )

    class Meta:
        verbose_name = "sous-secteur d'activité d'une fiche"
        verbose_name_plural = "sous-secteurs d'activité des fiches"
        constraints = [
            models.UniqueConstraint(fields=["fiche", "sous_secteur"], name="rome_fiche_sous_secteur_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.sous_secteur_id}"


class FicheTheme(models.Model):
    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_themes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="liens_fiches")

    class Meta:
        verbose_name = "thème d'une fiche"
        verbose_name_plural = "thèmes des fiches"
        constraints = [models.UniqueConstraint(fields=["fiche", "theme"], name="rome_fiche_theme_unique")]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.theme_id}"


class FicheSecteurNaf(models.Model):
    fiche = models.ForeignKey(FicheMetier, on_delete=models.CASCADE, related_name="liens_secteurs_naf")
    secteur_naf = models.ForeignKey(SecteurNaf, on_delete=models.CASCADE, related_name="liens_fiches")

    class Meta:
        verbose_name = "secteur NAF d'une fiche"
        verbose_name_plural = "secteurs NAF des fiches"
        constraints = [models.UniqueConstraint(fields=["fiche", "secteur_naf"], name="rome_fiche_naf_unique")]

    def __str__(self) -> str:
        return f"{self.fiche_id} → {self.secteur_naf_id}"
