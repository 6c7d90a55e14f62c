"""Admin of the events app: read and correct rows; the pages of the professional space are where work is done."""

from django.contrib import admin

from spro.events.models import Actualite, EvenementPro, GroupeTravail, Inscription, RendezVous


@admin.register(GroupeTravail)
class GroupeTravailAdmin(admin.ModelAdmin):
    list_display = ("titre", "created_at")
    search_fields = ("titre",)


@admin.register(EvenementPro)
class EvenementProAdmin(admin.ModelAdmin):
    list_display = ("titre", "type", "debut", "lieu", "capacite", "annule")
    list_filter = ("type", "annule")
    search_fields = ("titre",)


@admin.register(Inscription)
class InscriptionAdmin(admin.ModelAdmin):
    list_display = ("evenement", "user", "statut", "place", "presence", "registered_at")
    list_filter = ("statut", "presence")
    readonly_fields = ("statut", "place", "registered_at", "confirmed_at", "cancelled_at")


@admin.register(Actualite)
class ActualiteAdmin(admin.ModelAdmin):
    list_display = ("titre", "statut", "public", "published_at")
    list_filter = ("statut", "public")
    search_fields = ("titre",)


@admin.register(RendezVous)
class RendezVousAdmin(admin.ModelAdmin):
    list_display = ("titre", "type", "debut", "statut", "public")
    list_filter = ("statut", "type", "public")
    search_fields = ("titre",)
