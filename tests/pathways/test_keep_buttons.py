"""« Garder mon parcours » on the first answer, the explorer's results and the referral follow page: each posts
to `/parcours/garder` with its origin, and the pathway it creates carries that origin."""

from __future__ import annotations

import re
from html import unescape

import pytest

from spro.pathways.models import Pathway
from tests.explorer import test_with_rome
from tests.explorer.test_with_rome import LEA, codes

from .conftest import make_referral

#: The real ROME, imported once for this module (the explorer's own fixture).
rome = test_with_rome.rome


def keep_form(html: str, form_id: str) -> dict[str, list[str]]:
    match = re.search(
        rf'<form method="post" action="/parcours/garder" class="keep-pathway" id="{form_id}">(.*?)</form>',
        html,
        re.S,
    )
    assert match, f"no form {form_id}"
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', match.group(1)):
        if name != "csrfmiddlewaretoken":
            fields.setdefault(name, []).append(unescape(value))
    return fields


@pytest.mark.django_db
def test_the_first_answer_page(client):
    from tests.answer.support import make_communes

    make_communes()
    page = client.post(
        "/question",
        {"text": "Je veux reprendre une formation", "age": "", "statut": "", "commune": "Rennes"},
        follow=True,
    )
    fields = keep_form(page.content.decode(), "garder-parcours")
    assert fields["origine"] == ["answer"] and fields["besoins"]
    assert client.post("/parcours/garder", fields).status_code == 303
    assert Pathway.objects.get().origin == "answer"


def test_the_referral_follow_page(client, structure):
    _, token = make_referral(structure)
    fields = keep_form(client.get(f"/suivi/{token}").content.decode(), "garder-parcours")
    assert fields == {"origine": ["referral"], "suivi": [token]}
    assert client.post("/parcours/garder", fields).status_code == 303
    assert Pathway.objects.get().origin_referral.structure == structure


@pytest.mark.django_db
def test_the_explorer_results(rome, client):
    """The results set no cookie (docs/explorer.md): each métier links to a page of its own that holds the form."""
    response = client.get(f"/explorer/resultats?{LEA}")
    html = response.content.decode()
    assert not response.cookies
    found = codes(html)
    assert found
    for code in found:
        assert f'href="/parcours/garder?origine=explorer&amp;rome={code}"' in html
    confirmation = client.get("/parcours/garder", {"origine": "explorer", "rome": found[0]})
    assert confirmation.status_code == 200
    fields = keep_form(confirmation.content.decode(), "garder-parcours")
    assert fields == {"origine": ["explorer"], "rome": [found[0]]}
    assert not Pathway.objects.exists()  # looking at the page keeps nothing
    assert client.post("/parcours/garder", fields).status_code == 303
    pathway = Pathway.objects.get()
    assert (pathway.goal_code, pathway.origin) == (found[0], "explorer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"origine": "answer", "rome": "J1506"},
        {"origine": "explorer", "rome": "<b>"},
        {"origine": "explorer", "rome": "Z9999"},
        {"origine": "explorer", "rome": "A9999"},
    ],
)
def test_a_confirmation_link_that_names_no_known_metier_is_a_400(client, query):
    response = client.get("/parcours/garder", query)
    assert response.status_code == 400
    assert not Pathway.objects.exists()
