"""The register's pages: 403 and 404 where due, a refusal without reason is a 400, the search form."""

from __future__ import annotations

import pytest

from spro.practices import services
from spro.practices.models import Practice
from tests.accounts.factories import build_network
from tests.practices.test_services import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return build_network()


def test_a_member_creates_a_draft_through_the_page(client, network):
    client.force_login(network["users"]["conseiller_a"])
    assert client.get("/pro/pratiques/nouvelle").status_code == 200
    data = {**VALUES, "structure": str(network["a"].pk), "territory_code": " 29 "}
    response = client.post("/pro/pratiques/nouvelle", data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pro/pratiques/{practice.pk}"
    assert practice.territory_code == "29" and practice.author_structure == network["a"]


def test_an_invalid_form_lists_its_errors(client, network):
    client.force_login(network["users"]["conseiller_a"])
    response = client.post("/pro/pratiques/nouvelle", {"structure": str(network["b"].pk)})
    assert response.status_code == 200 and "Le formulaire contient" in response.content.decode()
    assert not Practice.objects.exists()


def test_others_get_403_on_a_draft_and_404_on_nothing(client, network):
    practice = services.save(network["users"]["conseiller_a"], VALUES, structure=network["a"])
    client.force_login(network["users"]["conseiller_b"])
    assert client.get(f"/pro/pratiques/{practice.pk}").status_code == 403
    assert client.get(f"/pro/pratiques/{practice.pk}/modifier").status_code == 403
    assert client.post(f"/pro/pratiques/{practice.pk}/soumettre").status_code == 403
    assert client.get("/pro/pratiques/999999").status_code == 404
    client.force_login(network["users"]["nobody"])
    assert client.get("/pro/pratiques").status_code == 403


def test_a_refusal_without_reason_is_a_400_and_changes_nothing(client, network):
    users = network["users"]
    practice = services.save(users["conseiller_a"], VALUES, structure=network["a"])
    services.submit(users["conseiller_a"], practice)
    client.force_login(users["pilote_region"])
    response = client.post(f"/pro/pratiques/{practice.pk}/refuser", {"reason": ""})
    assert response.status_code == 400
    practice.refresh_from_db()
    assert practice.status == "soumise"
    client.post(f"/pro/pratiques/{practice.pk}/publier")
    client.force_login(users["conseiller_b"])
    page = client.get("/pro/pratiques", {"q": "permanence", "theme": "partenariat"}).content.decode()
    assert "1 fiche publiée pour cette recherche" in page and VALUES["title"] in page
