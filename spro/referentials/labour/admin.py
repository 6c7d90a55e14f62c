from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.labour.models import EscoOccupation, IscoGroup, TensionIndicator, UnemploymentRate


@admin.register(TensionIndicator)
class TensionIndicatorAdmin(ImportedModelAdmin):
    list_display = ("code_rome", "libelle_rome", "bassin", "annee", "offres", "demandeurs", "indicateur")
    list_filter = ("annee", "indicateur")
    search_fields = ("code_rome", "libelle_rome", "bassin__nom", "bassin__code")
    list_select_related = ("bassin",)
    raw_id_fields = ("fiche_metier", "bassin")


@admin.register(IscoGroup)
class IscoGroupAdmin(ImportedModelAdmin):
    list_display = ("code", "libelle", "parent", "is_active")
    search_fields = ("code", "libelle")
    list_filter = ("is_active",)


@admin.register(EscoOccupation)
class EscoOccupationAdmin(ImportedModelAdmin):
    list_display = ("libelle", "isco_group", "is_active")
    search_fields = ("libelle", "uri", "isco_group__code")
    list_filter = ("is_active",)
    list_select_related = ("isco_group",)


@admin.register(UnemploymentRate)
class UnemploymentRateAdmin(ImportedModelAdmin):
    list_display = ("niveau", "code_zone", "departement", "region", "annee", "taux")
    list_filter = ("niveau", "annee")
    search_fields = ("code_zone", "departement__nom", "region__nom")
    list_select_related = ("departement", "region")
