"""Issue 12 §3: the site's own pages say only what is true now (no « bientôt » for what exists)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"?#]*)', html))


def test_home_links_to_the_directory_and_the_question_instead_of_soon(client, db):  # db: home sections
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


def test_privacy_page_states_the_pathways_and_accompaniments_retention_from_the_settings(client, settings):
    settings.SPRO_PATHWAY_RETENTION_MONTHS = 13
    settings.SPRO_ACCOMPANIMENT_RETENTION_MONTHS = 31
    html = " ".join(privacy_page(client).split())
    assert "ni ouvert ni modifié pendant 13 mois est effacé" in html
    assert "31 mois après la fin d’un accompagnement" in html
    assert 'id="parcours"' in html and 'id="accompagnement"' in html


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


def statement(client) -> str:
    return client.get(reverse("accessibilite")).content.decode()


def test_accessibility_statement_says_maps_use_javascript_and_pages_work_without(client):
    html = statement(client)
    assert "n’utilise pas de JavaScript" not in html
    assert "<li>JavaScript</li>" in html and "Leaflet" in html
    assert (
        "Toutes les pages fonctionnent sans JavaScript" in html
        and "la liste des lieux vient avant la carte" in html
    )


def test_accessibility_statement_says_the_state_the_tests_and_the_recourse(client):
    html = statement(client)
    for text in (
        "<strong>non conforme</strong>",
        "axe-core",
        "WCAG 2.1",
        "Chromium",
        "Aucun audit",
        "Défenseur des droits",
    ):
        assert text in html, text
    assert "n’a pas encore été renseignée" in html  # no date until the publisher sets one
    assert {reverse("structures"), reverse("answer:question"), reverse("api:docs")} <= hrefs(html)


def test_accessibility_statement_dates_and_audit_come_from_the_settings(client, settings):
    settings.SPRO_ACCESSIBILITY_STATUS = "partiellement-conforme"
    settings.SPRO_ACCESSIBILITY_STATEMENT_DATE = "2026-12-01"
    settings.SPRO_ACCESSIBILITY_AUDIT_DATE = "2026-11-20"
    settings.SPRO_ACCESSIBILITY_AUDITOR = "Cabinet Exemple"
    settings.SPRO_ACCESSIBILITY_AUDIT_RATE = "72.5"
    html = statement(client)
    assert "établie le 1 décembre 2026" in html or "établie le 1er décembre 2026" in html
    assert "réalisé le 20 novembre 2026" in html and "Cabinet Exemple" in html and "72,5 %" in html
    assert "Aucun audit" not in html and "<strong>partiellement conforme</strong>" in html


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SPRO_ACCESSIBILITY_STATEMENT_DATE", "01/12/2026"),
        ("SPRO_ACCESSIBILITY_AUDIT_DATE", "2026-13-01"),
        ("SPRO_ACCESSIBILITY_AUDIT_RATE", "120"),
        ("SPRO_ACCESSIBILITY_AUDIT_RATE", "beaucoup"),
    ],
)
def test_bad_accessibility_settings_stop_the_start(name, value):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "spro.settings", name: value}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert (
        done.returncode != 0 and "ImproperlyConfigured" in done.stderr and name.split("_")[-1] in done.stderr
    )
