"""Admin base for imported referentials: imported fields are read-only, records are neither added nor deleted.

The official files are the source of truth; changing a ROME code by hand would be overwritten at the next import
and would silently diverge from France Travail's referential meanwhile.
"""

from django.contrib import admin


class ImportedModelAdmin(admin.ModelAdmin):
    #: fields that are the platform's own annotations and may be edited (none by default)
    editable_fields: tuple[str, ...] = ()
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.editable_fields] + [
            m.name for m in self.model._meta.many_to_many if m.name not in self.editable_fields
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing goes through the change view; saving only touches `editable_fields`.
        return super().has_change_permission(request, obj)
