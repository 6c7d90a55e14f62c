from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "spro.contacts"
    label = "contacts"
    verbose_name = "Premiers contacts (anonymes)"
