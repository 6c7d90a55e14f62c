from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "spro.referentials.offers"
    label = "offers"
    verbose_name = "Référentiels : offres de formation continue (LHÉO)"
