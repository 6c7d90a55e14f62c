"""Where the satisfaction question is drawn: the pathway an accompaniment follows, not a pathway kept alone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from spro.feedback import satisfaction
from spro.pathways import services as pathway_services
from tests.accompaniment.conftest import open_spot
from tests.referrals.conftest import make_user

from .conftest import make_structure

pytestmark = pytest.mark.django_db


def _key(html: str) -> str:
    match = re.search(r'name="cle" value="([^"]+)"', html)
    assert match, "no satisfaction form on the page"
    return match.group(1)


def test_the_pathway_an_accompaniment_follows_asks_about_the_accompaniment(client):
    structure = make_structure(typologie="CEP", reseaux_porteurs=["cep"])
    opened = open_spot(structure, make_user("conseillere", structure))
    html = client.get(reverse("pathways:parcours", args=[opened.pathway_token])).content.decode()
    assert "Êtes-vous satisfait·e de ce service (accompagnement par une structure)" in html
    context, _ = satisfaction.read_form_key(_key(html))
    assert (context.service, context.typologie, context.reseau) == ("accompagnement", "CEP", "cep")
    response = client.post("/avis/satisfaction", {"cle": _key(html), "note": "5"})
    assert response.status_code == 200


def test_a_pathway_kept_alone_does_not_ask(client):
    _, token = pathway_services.create_pathway(
        goal_kind="metier", goal_label="Développeur ou développeuse web", goal_code="M1805", origin="explorer"
    )
    html = client.get(reverse("pathways:parcours", args=[token])).content.decode()
    assert 'name="cle"' not in html
