from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, Lycee, MentionMaster


@admin.register(FormationOnisep)
class FormationOnisepAdmin(ImportedModelAdmin):
    list_display = ("id", "libelle", "type_sigle", "code_rncp", "niveau_europeen", "is_active")
    list_filter = ("niveau_europeen", "type_sigle", "is_active")
    search_fields = ("id", "libelle", "code_rncp")


@admin.register(FormationParcoursup)
class FormationParcoursupAdmin(ImportedModelAdmin):
    list_display = ("id", "filiere", "etablissement", "uai", "region", "is_active")
    list_filter = ("type_formation", "region", "statut", "is_active")
    search_fields = ("id", "filiere", "etablissement", "uai")


@admin.register(MentionMaster)
class MentionMasterAdmin(ImportedModelAdmin):
    list_display = ("id", "intitule", "etablissement", "ville", "campagne", "ouverte", "is_active")
    list_filter = ("campagne", "ouverte", "is_active")
    search_fields = ("id", "inm", "uai", "intitule", "etablissement")
    raw_id_fields = ("commune",)


@admin.register(Lycee)
class LyceeAdmin(ImportedModelAdmin):
    list_display = ("uai", "nom", "ville", "code_postal", "departement", "pays", "is_active")
    list_filter = ("pays", "region", "is_active")
    search_fields = ("uai", "nom", "ville")
    list_select_related = ("departement",)
    raw_id_fields = ("commune",)
