from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "spro.referentials.geo"
    label = "geo"
    verbose_name = "Référentiels : géographie (COG)"
