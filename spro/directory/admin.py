"""Admin of the directory: structures with their services, filters for typologie, source, demo and freshness."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from spro.directory.models import Service, Structure, ZoneCompetence, stale_before


class StaleFilter(admin.SimpleListFilter):
    title = "vérification"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("perimee", "à vérifier (plus de 6 mois)"), ("a-jour", "vérifiée depuis moins de 6 mois")]

    def queryset(self, request, queryset):
        if self.value() == "perimee":
            return queryset.stale()
        if self.value() == "a-jour":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    fields = (
        "di_id",
        "source",
        "nom",
        "description",
        "type",
        "thematiques",
        "publics",
        "age_min",
        "age_max",
        "frais",
        "modes_accueil",
        "modes_mobilisation",
        "horaires_accueil",
        "date_maj",
        "date_verification",
        "is_active",
    )
    show_change_link = True


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = (
        "nom",
        "typologie",
        "commune_nom",
        "source",
        "date_verification",
        "a_verifier",
        "demo",
        "is_active",
    )
    list_filter = (StaleFilter, "typologie", "source", "demo", "is_active")
    search_fields = ("nom", "di_id", "siret", "commune_nom")
    readonly_fields = ("a_verifier",)
    raw_id_fields = ("commune",)
    inlines = [ServiceInline]
    list_per_page = 50
    actions = ["mark_verified"]

    @admin.display(boolean=True, description="à vérifier")
    def a_verifier(self, obj: Structure) -> bool:
        reference = obj.date_verification or obj.date_maj
        return reference < stale_before()

    @admin.action(description="Marquer comme vérifiées aujourd'hui")
    def mark_verified(self, request, queryset):
        count = queryset.update(date_verification=timezone.localdate())
        self.message_user(request, f"{count} structure(s) marquée(s) comme vérifiée(s).")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.rebuild_zones()


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("nom", "structure", "type", "source", "date_verification", "is_active")
    list_filter = ("type", "source", "is_active")
    search_fields = ("nom", "di_id", "structure__nom")
    raw_id_fields = ("structure",)


@admin.register(ZoneCompetence)
class ZoneCompetenceAdmin(admin.ModelAdmin):
    list_display = ("structure", "niveau", "code")
    list_filter = ("niveau",)
    search_fields = ("code", "structure__nom")
    raw_id_fields = ("structure",)
