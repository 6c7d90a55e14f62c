from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.geo.models import Academie, BassinEmploi, Commune, Departement, Epci, Region


@admin.register(Region)
class RegionAdmin(ImportedModelAdmin):
    list_display = ("code", "nom", "zone", "is_active")
    search_fields = ("code", "nom")


@admin.register(Departement)
class DepartementAdmin(ImportedModelAdmin):
    list_display = ("code", "nom", "region", "academie", "is_active")
    list_filter = ("region",)
    search_fields = ("code", "nom")


@admin.register(Academie)
class AcademieAdmin(ImportedModelAdmin):
    list_display = ("code", "nom", "region")
    search_fields = ("nom",)


@admin.register(Epci)
class EpciAdmin(ImportedModelAdmin):
    list_display = ("code", "nom", "type", "population")
    search_fields = ("code", "nom")


@admin.register(BassinEmploi)
class BassinEmploiAdmin(ImportedModelAdmin):
    list_display = ("code", "nom")
    search_fields = ("code", "nom")


@admin.register(Commune)
class CommuneAdmin(ImportedModelAdmin):
    list_display = ("code_insee", "nom", "departement", "population", "latitude", "longitude", "is_active")
    list_filter = ("region", "type", "is_active")
    search_fields = ("code_insee", "nom")
    list_select_related = ("departement",)
