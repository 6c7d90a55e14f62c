"""Who may do what in the SPRO network, around Django's own `auth.User`.

* `Membership`: a user works for a structure of the directory, as `conseiller` or `admin_structure`;
* `Scope`: a territorial role. Counting roles (`tete_de_reseau` for one typologie over a territory,
  `pilote_region`, `pilote_etat`) give aggregated counts only, never personal data; governance roles
  (`partenaire_social`, `membre_crefop`) are held over one région, name the organisation represented, and give
  no counts at all: they read the shared action plan and the CREFOP's documents of their région;
* `Invitation`: the record behind a signed invitation link, so that a link works once and only once.

The platform admin is Django's superuser. The rules themselves live in `spro.accounts.permissions`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class StructureRole(models.TextChoices):
    """Roles inside one structure; the description is shown in the admin and the invitation form."""

    CONSEILLER = "conseiller", "Conseiller ou conseillère"
    ADMIN_STRUCTURE = "admin_structure", "Administrateur ou administratrice de la structure"

    @property
    def description(self) -> str:
        return STRUCTURE_ROLE_DESCRIPTIONS[self.value]


STRUCTURE_ROLE_DESCRIPTIONS = {
    "conseiller": "Reçoit et traite les demandes de mise en relation de sa structure, enregistre les premiers "
    "contacts anonymes.",
    "admin_structure": "Comme un conseiller, et en plus invite les membres de la structure et gère leurs rôles.",
}


class TerritorialRole(models.TextChoices):
    """Roles over a territory: they never give a person's data. The first three give aggregated counts
    (`STATISTICS_ROLES`); the governance ones (`GOVERNANCE_ROLES`) give no counts, only the shared action plan and
    the bodies (CREFOP) of their région."""

    TETE_DE_RESEAU = "tete_de_reseau", "Tête de réseau"
    PILOTE_REGION = "pilote_region", "Pilote Région"
    PILOTE_ETAT = "pilote_etat", "Pilote État"
    PARTENAIRE_SOCIAL = "partenaire_social", "Partenaire social"
    MEMBRE_CREFOP = "membre_crefop", "Membre du CREFOP"

    @property
    def description(self) -> str:
        return TERRITORIAL_ROLE_DESCRIPTIONS[self.value]


TERRITORIAL_ROLE_DESCRIPTIONS = {
    "tete_de_reseau": "Voit les statistiques agrégées des structures d’un réseau (une typologie) sur un "
    "territoire (région ou département).",
    "pilote_region": "Voit les statistiques agrégées de toutes les structures de sa région.",
    "pilote_etat": "Voit les statistiques agrégées des structures d’un territoire (région, département) ou de "
    "tout le pays si aucun territoire n’est indiqué.",
    "partenaire_social": "Représente une organisation syndicale ou patronale de sa région : consulte le plan "
    "d’action partagé et les documents du CREFOP, et participe à l’approbation du plan. Ne voit aucune statistique.",
    "membre_crefop": "Membre du CREFOP de sa région : consulte les séances, les documents et les décisions du "
    "CREFOP et de ses commissions, et peut figurer sur les feuilles de présence. Ne voit aucune statistique.",
}

# Roles that give aggregated counts over their territory; the governance roles give none.
STATISTICS_ROLES = (
    TerritorialRole.TETE_DE_RESEAU,
    TerritorialRole.PILOTE_REGION,
    TerritorialRole.PILOTE_ETAT,
)
# Roles held over one région only (never a département, never the whole country), naming an organisation.
GOVERNANCE_ROLES = (TerritorialRole.PARTENAIRE_SOCIAL, TerritorialRole.MEMBRE_CREFOP)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    role = models.CharField(
        "rôle", max_length=20, choices=StructureRole.choices, default=StructureRole.CONSEILLER
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "appartenance à une structure"
        verbose_name_plural = "appartenances à une structure"
        ordering = ["structure__nom", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "structure"], name="accounts_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=StructureRole.values), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.structure} ({self.get_role_display()})"


class Scope(models.Model):
    """A territorial role. A territory is a région or a département (never both); none means the whole country,
    which only `pilote_etat` may have. `tete_de_reseau` also names its network (a directory typologie). The
    governance roles are held over a région only; they name the organisation represented (required for a social
    partner: « CFDT », « MEDEF »…; optional for a CREFOP member), which no other role has."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scopes", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=20, choices=TerritorialRole.choices)
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="région"
    )
    departement = models.ForeignKey(
        "geo.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    typologie = models.CharField(
        "typologie (réseau)", max_length=30, blank=True, help_text="Pour une tête de réseau : ML, FT, CIO…"
    )
    organisation = models.CharField(
        "organisation représentée",
        max_length=120,
        blank=True,
        help_text="Pour un partenaire social (obligatoire) ou un membre du CREFOP : CFDT, MEDEF, U2P, DREETS…",
    )

    class Meta:
        verbose_name = "périmètre territorial"
        verbose_name_plural = "périmètres territoriaux"
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=TerritorialRole.values), name="accounts_scope_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(departement__isnull=True),
                name="accounts_scope_one_territory",
            ),
            models.CheckConstraint(
                condition=Q(role="pilote_etat") | Q(region__isnull=False) | Q(departement__isnull=False),
                name="accounts_scope_territory_required",
            ),
            models.CheckConstraint(
                condition=~Q(role="tete_de_reseau") | ~Q(typologie=""),
                name="accounts_scope_network_typologie",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[role.value for role in GOVERNANCE_ROLES])
                | Q(region__isnull=False, departement__isnull=True),
                name="accounts_scope_governance_region",
            ),
            models.CheckConstraint(
                condition=~Q(role=TerritorialRole.PARTENAIRE_SOCIAL.value) | ~Q(organisation=""),
                name="accounts_scope_partner_organisation",
            ),
        ]

    def __str__(self) -> str:
        territory = self.departement or self.region or "France entière"
        network = f" {self.typologie}" if self.typologie else ""
        organisation = f" ({self.organisation})" if self.organisation else ""
        return f"{self.user} – {self.get_role_display()}{network}{organisation} – {territory}"

    def clean(self) -> None:
        from spro.directory import vocabularies

        if self.region_id and self.departement_id:
            raise ValidationError("Indiquez une région ou un département, pas les deux.")
        if self.role in GOVERNANCE_ROLES:
            if self.departement_id or not self.region_id:
                raise ValidationError(
                    "Ce rôle s’exerce sur une région : indiquez la région, pas un département."
                )
            if self.role == TerritorialRole.PARTENAIRE_SOCIAL and not self.organisation.strip():
                raise ValidationError(
                    {"organisation": "Indiquez l’organisation que représente ce partenaire social."}
                )
        elif self.organisation:
            raise ValidationError(
                {
                    "organisation": "Seuls un partenaire social ou un membre du CREFOP représentent une organisation."
                }
            )
        if self.role != TerritorialRole.PILOTE_ETAT and not (self.region_id or self.departement_id):
            raise ValidationError("Ce rôle s’exerce sur une région ou un département : indiquez-en un.")
        if self.role == TerritorialRole.TETE_DE_RESEAU:
            if self.typologie not in vocabularies.typologies():
                raise ValidationError({"typologie": "Typologie inconnue : choisissez celle du réseau."})
        elif self.typologie:
            raise ValidationError({"typologie": "Seule une tête de réseau est rattachée à une typologie."})


class Invitation(models.Model):
    """One invitation sent by a structure admin. The e-mailed link signs its id; `accepted_at` makes it single-use."""

    email = models.EmailField("adresse invitée")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.CASCADE, related_name="invitations", verbose_name="structure"
    )
    role = models.CharField(
        "rôle", max_length=20, choices=StructureRole.choices, default=StructureRole.CONSEILLER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="invitée par",
    )
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.structure} ({self.get_role_display()})"
