from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "spro.referentials.certifications"
    label = "certifications"
    verbose_name = "Référentiels : certifications"
