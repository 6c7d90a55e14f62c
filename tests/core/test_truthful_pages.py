"""Issue 12 §3: the site's own pages say only what is true now (no « bientôt » for what exists)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"?#]*)', html))


def test_home_links_to_the_directory_and_the_question_instead_of_soon(client):
    html = client.get(reverse("home")).content.decode()
    assert "Bientôt" not in html and "bientôt" not in html
    assert {reverse("structures"), reverse("answer:question")} <= hrefs(html)
    assert "demander à être contacté" in html


def test_site_map_lists_the_real_pages_with_links(client):
    html = client.get(reverse("plan-du-site")).content.decode()
    assert "bientôt" not in html.lower()
    expected = {
        reverse("home"),
        reverse("search"),
        reverse("answer:question"),
        reverse("structures"),
        reverse("domaines"),
        reverse("centres-interet"),
        reverse("data-sources"),
        reverse("accessibilite"),
        reverse("donnees-personnelles"),
        reverse("mentions-legales"),
        reverse("api:docs"),
        reverse("pro-login"),
    }
    assert expected <= hrefs(html), expected - hrefs(html)


@pytest.mark.parametrize("name", ["home", "plan-du-site"])
def test_links_of_home_and_site_map_answer(client, db, name):
    for href in hrefs(client.get(reverse(name)).content.decode()):
        if href.startswith("/") and not href.startswith(("/static/", "/theme/")):
            assert client.get(href).status_code == 200, href


def privacy_page(client) -> str:
    return client.get(reverse("donnees-personnelles")).content.decode()


def test_privacy_page_no_longer_announces_contact_requests_as_to_come(client):
    html = privacy_page(client)
    assert "service à venir" not in html and "bientôt" not in html.lower()
    for text in (
        "Quand vous faites une recherche ou posez une question",
        "Le texte de votre question n’est pas conservé",
        "Quand vous demandez à être contacté",
        "Votre lien de suivi",
    ):
        assert text in html, text
    for text in ("retirer votre demande", "supprimer vos données", "Journal des consultations", "CNIL"):
        assert text in html, text


def test_privacy_page_durations_come_from_the_settings(client, settings):
    settings.SPRO_REFERRAL_EXPIRY_DAYS = 17
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 7
    settings.SPRO_REFERRAL_LINK_DAYS = 123
    settings.SESSION_COOKIE_AGE = 10 * 3600
    html = privacy_page(client)
    assert "dans les 17 jours, votre demande expire" in html
    assert "effacées automatiquement 7 mois après votre demande" in html
    assert "fonctionne pendant 123 jours" in html
    assert "conservé 10 heures au plus" in html
    settings.SPRO_REFERRAL_RETENTION_MONTHS = 24
    assert "effacées automatiquement 24 mois après" in privacy_page(client)


def test_privacy_page_names_the_tile_server_only_when_one_is_configured(client, settings):
    settings.SPRO_MAP_TILES_URL = ""
    html = privacy_page(client)
    assert "servie par ce site" in html and "adresse IP de votre appareil" not in html
    settings.SPRO_MAP_TILES_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    html = privacy_page(client)
    assert "<strong>tiles.example.org</strong>" in html and "adresse IP de votre appareil" in html


def test_privacy_page_names_the_configured_controller_and_dpo(client, settings):
    html = privacy_page(client)
    assert f"traitement des données est {settings.SPRO_BRAND['publisher']}" in html
    assert "mailto:contact@example.org" in html
    settings.SPRO_CONTROLLER_NAME = "Région Exemple"
    settings.SPRO_DPO_CONTACT = "dpo@region.example"
    html = privacy_page(client)
    assert "traitement des données est Région Exemple" in html
    assert 'href="mailto:dpo@region.example"' in html
