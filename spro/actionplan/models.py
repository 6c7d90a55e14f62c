"""The shared action plan annexed to the CPRDFOP, and the bodies of concertation (CREFOP and its commissions).

Plan (one région, one CPRDFOP period) → `Axis` → `Objective` → `Action` (status, percent, comment) → `Pilot`
(a party: Région, État, a social partner, a network, or a structure of the directory) and `Indicator` (baseline,
`IndicatorTarget` per year, `IndicatorValue` per period). The plan as edited is the working copy; a `PlanVersion`
stores the whole plan as of its recording (`snapshot`, a JSON tree with its SHA-256), so that later edits never
change a recorded version; each party's `Approval` of a version is recorded once (who, for which party, when,
which snapshot). Bodies: `Body` (the CREFOP, its commissions) → `Session` (date, place, `AgendaItem`,
`SessionDocument` stored through `spro.core.uploads`, `Attendance` by member role, `Decision`) → `FollowUp`
(the actions a decision becomes, linked to the plan, with an owner, a due date and a status).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


class ActionStatus(models.TextChoices):
    A_LANCER = "a_lancer", "À lancer"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    SUSPENDUE = "suspendue", "Suspendue"
    ABANDONNEE = "abandonnee", "Abandonnée"


class PartyKind(models.TextChoices):
    """Who pilots an action or approves a version: the parties of the convention, or a structure."""

    REGION = "region", "Région"
    ETAT = "etat", "État"
    PARTENAIRE_SOCIAL = "partenaire_social", "Partenaire social"
    RESEAU = "reseau", "Réseau"
    STRUCTURE = "structure", "Structure de l’annuaire"


class ActionPlan(models.Model):
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    title = models.CharField("titre", max_length=200)
    start_year = models.PositiveSmallIntegerField("première année du CPRDFOP")
    end_year = models.PositiveSmallIntegerField("dernière année du CPRDFOP")
    introduction = models.TextField("introduction", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "plan d’action partagé"
        verbose_name_plural = "plans d’action partagés"
        ordering = ["region__nom", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="actionplan_plan_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}-{self.end_year})"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "La dernière année ne peut pas précéder la première."})


class Axis(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="axes", verbose_name="plan")
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "axe"
        ordering = ["number", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="actionplan_axis_number")]

    def __str__(self) -> str:
        return f"Axe {self.number} – {self.title}"


class Objective(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives", verbose_name="axe")
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "objectif"
        ordering = ["number", "pk"]
        constraints = [models.UniqueConstraint(fields=["axis", "number"], name="actionplan_objective_number")]

    def __str__(self) -> str:
        return f"Objectif {self.axis.number}.{self.number} – {self.title}"


class Action(models.Model):
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name="objectif"
    )
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.A_LANCER
    )
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    progress_comment = models.TextField("commentaire sur l’avancement", blank=True)
    progress_updated_at = models.DateTimeField("avancement mis à jour le", null=True, blank=True)

    class Meta:
        verbose_name = "action"
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="actionplan_action_number"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="actionplan_action_progress"),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="actionplan_action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.code} – {self.title}"

    @property
    def code(self) -> str:
        return f"{self.objective.axis.number}.{self.objective.number}.{self.number}"


class Pilot(models.Model):
    """A party that pilots an action, by name (`label`: « Région Bretagne », « CFDT », « Réseau des Missions
    locales »); a structure of the directory is also linked (`structure`), its name copied into `label` so that
    the pilot keeps its name if the structure leaves the directory."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="pilots", verbose_name="action")
    kind = models.CharField("nature", max_length=20, choices=PartyKind.choices)
    label = models.CharField("nom", max_length=200, blank=True)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure de l’annuaire",
    )
    lead = models.BooleanField("chef de file", default=False)

    class Meta:
        verbose_name = "pilote"
        ordering = ["-lead", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartyKind.values), name="actionplan_pilot_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="actionplan_pilot_named"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        if self.structure is not None and not self.label.strip():
            self.label = self.structure.nom[:200]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.kind == PartyKind.STRUCTURE:
            if self.structure is None:
                raise ValidationError(
                    {"structure": "Choisissez la structure de l’annuaire qui pilote l’action."}
                )
            if not self.label.strip():
                self.label = self.structure.nom[:200]
        else:
            if self.structure_id:
                raise ValidationError(
                    {
                        "structure": "Seul un pilote de nature « structure » désigne une structure de l’annuaire."
                    }
                )
            if not self.label.strip():
                raise ValidationError(
                    {"label": "Indiquez le nom du pilote (par exemple « Région Bretagne »)."}
                )


class Indicator(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="indicators", verbose_name="action"
    )
    label = models.CharField("intitulé", max_length=200)
    unit = models.CharField(
        "unité", max_length=40, blank=True, help_text="Par exemple : personnes, %, structures."
    )
    baseline = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField("année de référence", null=True, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    # The declared link to the pilotage: the code of a monitoring indicator (spro/monitoring/indicators/*.yaml) whose
    # figures the dashboards compare with this indicator's targets. A plain code, not a foreign key: the indicators
    # are declared as files, and this app sits below spro.monitoring (an unknown code is simply never shown).
    indicateur = models.CharField(
        "indicateur du pilotage",
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                "Code attendu en minuscules, chiffres et tirets, par exemple premiers-contacts.",
            )
        ],
        help_text="Facultatif : le code d’un indicateur du pilotage (par exemple premiers-contacts) ; ses chiffres "
        "sont alors comparés à ces cibles dans les tableaux de bord du pilotage.",
    )

    class Meta:
        verbose_name = "indicateur"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "cible annuelle"
        verbose_name_plural = "cibles annuelles"
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="actionplan_target_year")]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.year}"


class IndicatorValue(models.Model):
    """A measured value for a period (« 2027-T1 », « 2027 »), dated by the period's end."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField("période", max_length=20, help_text="Par exemple : 2027, 2027-S1, 2027-T3.")
    period_end = models.DateField("fin de la période")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField("saisie le", auto_now=True)

    class Meta:
        verbose_name = "valeur mesurée"
        verbose_name_plural = "valeurs mesurées"
        ordering = ["period_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="actionplan_value_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.period}"


class PlanVersion(models.Model):
    """A frozen copy of the plan: `snapshot` holds the whole tree as recorded; it is never written again."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="versions", verbose_name="plan"
    )
    number = models.PositiveSmallIntegerField("numéro")
    note = models.TextField("note de version", blank=True)
    snapshot = models.JSONField("contenu figé")
    sha256 = models.CharField("empreinte SHA-256 du contenu", max_length=64)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="enregistrée par"
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="publiée par",
    )

    class Meta:
        verbose_name = "version du plan"
        verbose_name_plural = "versions du plan"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="actionplan_version_number"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_by__isnull=False),
                name="actionplan_version_published_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.title} – version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = PlanVersion.objects.filter(pk=self.pk).values("snapshot", "sha256").first()
            if stored is not None and (
                stored["snapshot"] != self.snapshot or stored["sha256"] != self.sha256
            ):
                raise ValidationError("Une version enregistrée est figée : son contenu ne peut plus changer.")
        super().save(*args, **kwargs)


class Approval(models.Model):
    """One party's approval of one version, recorded once per party and version: the State (`etat`, by a State
    pilot) or a social partner (`partenaire_social`, its organisation as `party_label`). The Region, which edits
    the plan, gives its assent by publishing the version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="approvals")
    party_kind = models.CharField("partie", max_length=20, choices=PartyKind.choices)
    party_label = models.CharField("partie représentée", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="approuvée par"
    )
    approved_at = models.DateTimeField("approuvée le", auto_now_add=True)
    sha256 = models.CharField("empreinte de la version approuvée", max_length=64)
    comment = models.TextField("observation", blank=True)

    class Meta:
        verbose_name = "approbation"
        ordering = ["approved_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party_kind", "party_label"], name="actionplan_approval_once_per_party"
            ),
            models.CheckConstraint(
                condition=Q(party_kind__in=["etat", "partenaire_social"]),
                name="actionplan_approval_party_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_label} – {self.version}"


# --- Bodies: the CREFOP and its commissions --------------------------------------------------------------------------
class BodyKind(models.TextChoices):
    CREFOP = "crefop", "CREFOP (assemblée plénière)"
    BUREAU = "bureau", "Bureau du CREFOP"
    COMMISSION = "commission", "Commission du CREFOP"
    GROUPE = "groupe", "Groupe de travail du CREFOP"


class Body(models.Model):
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    kind = models.CharField("nature", max_length=20, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="rattachée à",
    )
    mission = models.TextField("mission", blank=True)

    class Meta:
        verbose_name = "instance"
        ordering = ["region__nom", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values), name="actionplan_body_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent is not None and self.parent.region_id != self.region_id:
            raise ValidationError(
                {"parent": "Une commission est rattachée à une instance de la même région."}
            )


class Session(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sessions", verbose_name="instance")
    date = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200, blank=True)
    notes = models.TextField("informations", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="enregistrée par"
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "séance"
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.body.name} – séance du {self.date:%d/%m/%Y}"


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField("rang")
    title = models.CharField("point", max_length=300)

    class Meta:
        verbose_name = "point de l’ordre du jour"
        verbose_name_plural = "points de l’ordre du jour"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class DocumentNature(models.TextChoices):
    ORDRE_DU_JOUR = "ordre_du_jour", "Ordre du jour"
    SUPPORT = "support", "Document de séance"
    COMPTE_RENDU = "compte_rendu", "Compte rendu (procès-verbal)"
    AUTRE = "autre", "Autre document"


class SessionDocument(models.Model):
    """A document of a session, stored by `spro.core.uploads` (type checked by content, size, SHA-256)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    nature = models.CharField("nature", max_length=20, choices=DocumentNature.choices)
    title = models.CharField("titre", max_length=200)
    path = models.CharField(max_length=300, editable=False)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="déposé par"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "document de séance"
        verbose_name_plural = "documents de séance"
        ordering = ["nature", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    """The colleges of the CREFOP (article R6123-3-3 of the Code du travail and the Region's rules of procedure)."""

    REGION = "region", "Représentant de la Région"
    ETAT = "etat", "Représentant de l’État"
    SALARIES = "salaries", "Organisation syndicale de salariés"
    EMPLOYEURS = "employeurs", "Organisation professionnelle d’employeurs"
    CONSULAIRE = "consulaire", "Chambre consulaire"
    RESEAU = "reseau", "Réseau ou opérateur (SPRO, CEP, France Travail…)"
    INVITE = "invite", "Personne invitée"


class Presence(models.TextChoices):
    PRESENT = "present", "Présent·e"
    EXCUSE = "excuse", "Excusé·e"
    ABSENT = "absent", "Absent·e"


class Attendance(models.Model):
    """A line of the attendance sheet: a member role and an organisation, a name if given (not necessarily an
    account of the platform)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member_role = models.CharField("collège", max_length=20, choices=MemberRole.choices)
    organisation = models.CharField("organisation", max_length=200)
    name = models.CharField("nom (facultatif)", max_length=200, blank=True)
    presence = models.CharField("présence", max_length=10, choices=Presence.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte (facultatif)",
    )

    class Meta:
        verbose_name = "présence"
        ordering = ["member_role", "organisation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(presence__in=Presence.values), name="actionplan_presence_valid"
            ),
            models.CheckConstraint(
                condition=Q(member_role__in=MemberRole.values), name="actionplan_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_presence_display()})"


class Decision(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField("numéro")
    text = models.TextField("décision")

    class Meta:
        verbose_name = "décision"
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="actionplan_decision_number")
        ]

    def __str__(self) -> str:
        return f"Décision n° {self.number} – {self.session}"


class FollowUpStatus(models.TextChoices):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"
    ABANDONNE = "abandonne", "Abandonné"


OPEN_FOLLOW_UP = (FollowUpStatus.A_FAIRE, FollowUpStatus.EN_COURS)


class FollowUp(models.Model):
    """A follow-up action a decision becomes: linked to the action plan (and, if any, to one of its actions)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="plan"
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="action du plan",
    )
    title = models.CharField("action de suivi", max_length=300)
    owner = models.CharField("responsable", max_length=200, help_text="Une organisation ou une personne.")
    due_date = models.DateField("échéance")
    status = models.CharField(
        "état", max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.A_FAIRE
    )
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "action de suivi"
        verbose_name_plural = "actions de suivi"
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="actionplan_follow_up_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.action is not None and self.plan_id and self.action.objective.axis.plan_id != self.plan_id:
            raise ValidationError({"action": "Choisissez une action de ce plan."})
