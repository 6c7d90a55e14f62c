from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.certifications.models import (
    Certification,
    CertificationMetier,
    DiplomeBcn,
    DiplomeProfessionnel,
    NiveauFormation,
    NsfCategorie,
    NsfDomaine,
    NsfGroupe,
)


@admin.register(NsfCategorie)
class NsfCategorieAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle_court", "libelle", "is_active")


@admin.register(NsfDomaine)
class NsfDomaineAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "categorie", "is_active")
    list_filter = ("categorie",)


@admin.register(NsfGroupe)
class NsfGroupeAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "domaine", "is_active")
    list_filter = ("domaine__categorie",)
    search_fields = ("code", "libelle")


@admin.register(NiveauFormation)
class NiveauFormationAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle_court", "libelle", "niveau_interministeriel", "niveau_rncp", "is_active")
    list_filter = ("niveau_interministeriel", "niveau_rncp")
    search_fields = ("code", "libelle_court", "libelle")


class OuvertFilter(admin.SimpleListFilter):
    """`is_open` depends on today's date, so it is a filter on the closing date, not a stored flag."""

    title = "ouvert aujourd'hui"
    parameter_name = "ouvert"

    def lookups(self, request, model_admin):
        return (("1", "ouvert"), ("0", "fermé"))

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.ouverts()
        if self.value() == "0":
            return queryset.exclude(pk__in=queryset.ouverts().values("pk"))
        return queryset


@admin.register(DiplomeBcn)
class DiplomeBcnAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "libelle_court", "niveau", "groupe_nsf", "date_fermeture", "is_active")
    list_filter = (OuvertFilter, "dans_nomenclature_courante", "niveau_rncp", "nature")
    search_fields = ("code", "libelle", "libelle_court")
    list_select_related = ("niveau", "groupe_nsf")


@admin.register(DiplomeProfessionnel)
class DiplomeProfessionnelAdmin(ImportedModelAdmin):
    list_display = (
        "code_diplome",
        "type_diplome",
        "intitule",
        "cpc",
        "code_rncp",
        "annee_premiere_session",
        "annee_derniere_session",
        "is_active",
    )
    list_filter = ("type_diplome", "cpc", "niveau")
    search_fields = ("code_diplome", "code_cfd", "intitule", "code_rncp")


class CertificationMetierInline(admin.TabularInline):
    model = CertificationMetier
    fields = ("rang", "fiche_metier")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(ImportedModelAdmin):
    list_display = (
        "code",
        "libelle",
        "type_libelle",
        "niveau_europeen",
        "code_rncp",
        "code_rs",
        "code_cfd",
        "etat_libelle",
        "is_active",
    )
    list_filter = ("niveau_europeen", "etat_libelle", "type_libelle")
    search_fields = ("code", "libelle", "code_rncp", "code_rs", "code_cfd", "formacode")
    raw_id_fields = ("groupe_nsf", "diplome_bcn")
    inlines = (CertificationMetierInline,)
