"""Read-only admin of ROME 4.0: browse and search; everything comes from France Travail's files."""

from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.rome.models import (
    Appellation,
    CentreInteret,
    Competence,
    ContexteTravail,
    DomaineProfessionnel,
    FicheCompetence,
    FicheContexteTravail,
    FicheMetier,
    FicheSavoir,
    GrandDomaine,
    Mobilite,
    Savoir,
    SecteurActivite,
    SecteurNaf,
    SousSecteurActivite,
    Theme,
)


class ReadOnlyInline(admin.TabularInline):
    """An inline that only lists imported rows (no add, change or delete)."""

    extra = 0
    can_delete = False
    show_change_link = False
    select_related: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)


class AppellationInline(ReadOnlyInline):
    model = Appellation
    fk_name = "fiche"
    fields = ("code_ogr", "libelle_long", "classification", "peu_usite", "is_active")


class MobiliteInline(ReadOnlyInline):
    model = Mobilite
    fk_name = "fiche_source"
    fields = ("numero_ordre", "fiche_cible")
    select_related = ("fiche_cible",)
    verbose_name_plural = "mobilités (fiches vers lesquelles évoluer)"


class FicheCompetenceInline(ReadOnlyInline):
    model = FicheCompetence
    fields = ("competence", "rubrique", "coherence", "coeur_metier")
    select_related = ("competence",)


class FicheSavoirInline(ReadOnlyInline):
    model = FicheSavoir
    fields = ("savoir", "coherence", "coeur_metier")
    select_related = ("savoir",)


class FicheContexteInline(ReadOnlyInline):
    model = FicheContexteTravail
    fields = ("contexte",)
    select_related = ("contexte",)


@admin.register(GrandDomaine)
class GrandDomaineAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "is_active")
    search_fields = ("code", "libelle")


@admin.register(DomaineProfessionnel)
class DomaineProfessionnelAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "grand_domaine", "is_active")
    list_filter = ("grand_domaine",)
    search_fields = ("code", "libelle")
    list_select_related = ("grand_domaine",)


@admin.register(FicheMetier)
class FicheMetierAdmin(ImportedModelAdmin):
    list_display = (
        "code_rome",
        "libelle",
        "domaine_professionnel",
        "riasec_majeur",
        "riasec_mineur",
        "transition_eco",
        "emploi_cadre",
        "emploi_reglemente",
        "is_active",
    )
    list_filter = (
        "domaine_professionnel__grand_domaine",
        "riasec_majeur",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_cadre",
        "emploi_reglemente",
        "is_active",
    )
    search_fields = ("code_rome", "libelle", "appellations__libelle_long")
    list_select_related = ("domaine_professionnel",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code_rome",
                    "libelle",
                    "code_ogr",
                    "code_fiche_metier",
                    "parent",
                    "domaine_professionnel",
                    "is_active",
                )
            },
        ),
        ("Description", {"fields": ("definition", "acces_metier", "riasec_majeur", "riasec_mineur")}),
        (
            "Étiquettes",
            {
                "fields": (
                    "transition_eco",
                    "transition_num",
                    "transition_demo",
                    "emploi_reglemente",
                    "emploi_cadre",
                )
            },
        ),
    )
    inlines = (
        AppellationInline,
        FicheCompetenceInline,
        FicheSavoirInline,
        FicheContexteInline,
        MobiliteInline,
    )


@admin.register(Appellation)
class AppellationAdmin(ImportedModelAdmin):
    list_display = ("code_ogr", "libelle_long", "fiche", "classification", "peu_usite", "is_active")
    list_filter = ("classification", "peu_usite", "emploi_cadre", "is_active")
    search_fields = ("code_ogr", "libelle_long", "libelle_court", "fiche__code_rome")
    list_select_related = ("fiche",)


@admin.register(Competence)
class CompetenceAdmin(ImportedModelAdmin):
    list_display = (
        "code_ogr",
        "libelle",
        "nature",
        "categorie",
        "sous_categorie",
        "macro_competence",
        "is_active",
    )
    list_filter = (
        "nature",
        "categorie",
        "sous_categorie",
        "transition_eco",
        "transition_num",
        "riasec_majeur",
        "is_active",
    )
    search_fields = ("code_ogr", "libelle", "code_macro")
    list_select_related = ("macro_competence",)


@admin.register(Savoir)
class SavoirAdmin(ImportedModelAdmin):
    list_display = ("code_ogr", "libelle", "categorie", "sous_categorie", "is_active")
    list_filter = ("categorie", "sous_categorie", "transition_eco", "transition_num", "is_active")
    search_fields = ("code_ogr", "libelle")


@admin.register(ContexteTravail)
class ContexteTravailAdmin(ImportedModelAdmin):
    list_display = ("code_ogr", "libelle", "libelle_type", "is_active")
    list_filter = ("libelle_type", "is_active")
    search_fields = ("code_ogr", "libelle")


@admin.register(CentreInteret)
class CentreInteretAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "is_active")
    search_fields = ("code", "libelle")


class SousSecteurInline(ReadOnlyInline):
    model = SousSecteurActivite
    fields = ("code", "libelle", "is_active")


@admin.register(SecteurActivite)
class SecteurActiviteAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "is_active")
    search_fields = ("code", "libelle")
    inlines = (SousSecteurInline,)


@admin.register(SousSecteurActivite)
class SousSecteurActiviteAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "secteur", "is_active")
    list_filter = ("secteur",)
    search_fields = ("code", "libelle")
    list_select_related = ("secteur",)


@admin.register(Theme)
class ThemeAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "is_active")
    search_fields = ("code", "libelle")


@admin.register(SecteurNaf)
class SecteurNafAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "code_technique", "is_active")
    search_fields = ("code", "libelle")
