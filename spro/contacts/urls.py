"""First-contact log pages, under the professional space."""

from django.urls import path

from spro.contacts import views

urlpatterns = [
    path("pro/contacts/nouveau", views.new_contact, name="contacts-new"),
    path("pro/contacts", views.contact_list, name="contacts-list"),
    path("pro/contacts/statistiques", views.statistics, name="contacts-statistics"),
]
