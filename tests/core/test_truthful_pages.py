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
