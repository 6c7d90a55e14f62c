"""The public pages of the site shell, through Django's test client."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template.loader import get_template
from django.urls import reverse

from spro.referentials.models import ImportRun

PAGES = ["home", "mentions-legales", "accessibilite", "donnees-personnelles", "plan-du-site", "data-sources"]
pytestmark = pytest.mark.django_db


class PageParser(HTMLParser):
    """Collects what the tests look at: tags, links, ids, labels, attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())
        ]


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def geo_imported():
    return ImportRun.objects.create(dataset="geo", status=ImportRun.Status.SUCCESS)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_with_the_brand_and_the_landmarks(client, name, geo_imported):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Orientation pour tous" in html
    assert '<html lang="fr">' in html
    page = parse(response)
    for landmark in ("header", "main", "footer"):
        assert len(page.find(landmark)) == 1, landmark
    assert page.find("main", id="contenu", tabindex="-1")
    assert page.find("nav", id="menu")
    assert len(page.find("h1")) == 1
    assert page.find("a", href="#contenu") and page.find("a", href="#recherche")
    assert len(page.find("input", id="recherche")) == 1  # the "Aller à la recherche" target exists once


@pytest.mark.parametrize("name", PAGES)
def test_footer_links_to_the_legal_pages_and_the_data_sources(client, name, geo_imported):
    footer = client.get(reverse(name)).content.decode().split('<footer class="site-footer">')[1]
    targets = ["mentions-legales", "accessibilite", "donnees-personnelles", "plan-du-site", "data-sources"]
    for target in targets:
        assert f'href="{reverse(target)}"' in footer, target
    assert "Accessibilité : non conforme" in footer  # default until an audit, as RGAA requires
    assert "mailto:contact@example.org" in footer


@pytest.mark.parametrize("name", PAGES)
def test_every_internal_link_leads_to_an_existing_page(client, name, geo_imported):
    page = parse(client.get(reverse(name)))
    for attrs in page.find("a"):
        href = attrs["href"] or ""
        if href.startswith("/"):
            assert client.get(href).status_code == 200, f"{name}: dead link {href}"
        elif href.startswith("#"):
            assert page.find("main", id=href[1:]) or any(a.get("id") == href[1:] for _, a in page.tags), href
        else:
            assert href.startswith(("mailto:", "https://")), href


def test_home_has_a_labelled_search_form_and_a_question_entry(client):
    response = client.get(reverse("home"))
    page = parse(response)
    (form,) = page.find("form", role="search")
    assert form["action"] == "/recherche" and form["method"] == "get"
    assert page.find("label", **{"for": "recherche"})
    assert page.find("input", id="recherche", name="q", type="search")
    html = response.content.decode()
    assert 'href="#question"' in html and 'id="question"' in html
    for journey in ("Découvrir des métiers", "Trouver une formation", "Être accompagné près de chez soi"):
        assert journey in html
    assert "Bientôt disponible" not in html and "bientôt" not in html.lower()


def test_home_offers_the_interest_questionnaire_and_the_aids(client):
    html = client.get(reverse("home")).content.decode()
    assert '<a href="/explorer">Répondre à quelques questions sur ce que vous aimez faire</a>' in html
    assert '<a href="/aides">Voir les aides selon ma situation</a>' in html


def test_public_pages_set_no_cookie_and_ship_no_script_nor_inline_style(client, geo_imported):
    for name in PAGES:
        response = client.get(reverse(name))
        assert not response.cookies, (name, list(response.cookies))
        html = response.content.decode()
        assert "<script" not in html and " style=" not in html and "<style" not in html, name
        # Everything the page loads comes from this site: no CDN, no external font.
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            if not url.startswith(("/", "#", "mailto:", "https://")):
                pytest.fail(f"{name}: unexpected URL {url}")
        for url in re.findall(r'<link[^>]+href="([^"]+)"', html):
            assert url.startswith(("/static/", "/theme/")), url


def test_branding_comes_from_settings_only(client, settings):
    settings.SPRO_BRAND = {
        **settings.SPRO_BRAND,
        "name": "Cap Avenir",
        "region": "Région Exemple",
        "publisher": "Région Exemple, hôtel de Région",
        "host": "Hébergeur Exemple SAS",
        "contact_email": "orientation@region.example",
        "logo": "/static/region/logo.svg",
        "logo_alt": "Région Exemple",
    }
    home = client.get(reverse("home")).content.decode()
    assert "<title>Accueil – Cap Avenir</title>" in home
    assert '<img class="brand__logo" src="/static/region/logo.svg" alt="Région Exemple">' in home
    assert "Région Exemple" in home
    legal = client.get(reverse("mentions-legales")).content.decode()
    assert "Région Exemple, hôtel de Région" in legal and "Hébergeur Exemple SAS" in legal
    assert "mailto:orientation@region.example" in legal


def test_legal_pages_say_what_the_law_asks(client):
    statement = client.get(reverse("accessibilite")).content.decode()
    for text in (
        "RGAA",
        "4.1",
        "<strong>non conforme</strong>",
        "Défenseur des droits",
        "Voies de recours",
        "Contenus non accessibles",
        "mailto:contact@example.org",
    ):
        assert text in statement, text
    privacy = client.get(reverse("donnees-personnelles")).content.decode()
    for text in ("CNIL", "csrftoken", "sessionid", "aucun cookie", "mailto:contact@example.org"):
        assert text in privacy, text


def test_accessibility_status_follows_the_setting(client, settings):
    settings.SPRO_ACCESSIBILITY_STATUS = "partiellement-conforme"
    html = client.get(reverse("home")).content.decode()
    assert "Accessibilité : partiellement conforme" in html


def test_page_stays_french_for_an_english_browser_until_english_is_translated(client):
    response = client.get(reverse("home"), headers={"accept-language": "en"})
    assert '<html lang="fr">' in response.content.decode()


def test_an_english_catalogue_switches_the_page_language(settings, tmp_path):
    from django.utils import translation

    from spro.core.context_processors import served_language

    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "en" / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    assert served_language("en") == "fr"
    settings.LOCALE_PATHS = [tmp_path]
    assert served_language("en") == "en"
    with translation.override("fr"):
        assert served_language(translation.get_language()) == "fr"


def test_unknown_page_uses_the_404_template(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "Page introuvable" in html and "Orientation pour tous" in html


def test_500_page_renders_without_any_context():
    html = get_template("500.html").render()
    assert '<html lang="fr">' in html
    assert "Le service rencontre un problème" in html and "Orientation pour tous" in html
    assert "mailto:contact@example.org" in html


@pytest.mark.urls("tests.core.urls_error")
def test_a_crash_shows_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boum/")
    assert response.status_code == 500
    assert "Le service rencontre un problème" in response.content.decode()
