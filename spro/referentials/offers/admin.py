from django.contrib import admin

from spro.referentials.admin_base import ImportedModelAdmin
from spro.referentials.offers.models import Action, Formation, OrganismeFormation, Session


@admin.register(OrganismeFormation)
class OrganismeFormationAdmin(ImportedModelAdmin):
    list_display = ("siret", "nom", "commune", "is_active")
    list_filter = ("is_active",)
    search_fields = ("siret", "nom", "raison_sociale")
    list_select_related = ("commune",)


class ActionInline(admin.TabularInline):
    model = Action
    fields = ("numero", "lieu_nom", "lieu_commune", "modalites_enseignement", "nombre_heures_total")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Formation)
class FormationAdmin(ImportedModelAdmin):
    list_display = ("numero", "intitule", "organisme", "certifiante", "is_active")
    list_filter = ("is_active", "certifiante", "niveau_sortie")
    search_fields = ("numero", "intitule", "organisme__nom")
    list_select_related = ("organisme",)
    inlines = [ActionInline]


class SessionInline(admin.TabularInline):
    model = Session
    fields = ("numero", "debut", "fin", "etat_recrutement")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ImportedModelAdmin):
    list_display = ("formation", "numero", "lieu_nom", "lieu_commune", "modalites_enseignement")
    search_fields = ("numero", "formation__numero", "formation__intitule", "lieu_nom")
    list_select_related = ("formation", "lieu_commune")
    inlines = [SessionInline]
