from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "spro.audit"
    label = "audit"
    verbose_name = "Journal des accès aux données personnelles"
