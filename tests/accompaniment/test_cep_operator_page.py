"""The public page « Changer de métier quand on travaille »: the CEP operator competent for a commune, with the
reason of the rule files; a bad commune is a clear French error (400), never a 500."""

from __future__ import annotations

import pytest

from spro.directory.importers import StructuresDataset
from spro.referentials.geo.importers import GeoDataset
from tests.conftest import imported

pytestmark = pytest.mark.django_db

URL = "/conseil-en-evolution-professionnelle"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, GeoDataset(), StructuresDataset()) as reports:
        yield reports[-1]


def test_the_empty_form(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Changer de métier quand on travaille" in body and 'name="commune"' in body
    assert "Pourquoi ce conseil" not in body


def test_lorient_gets_the_morbihan_operator_with_the_reason(client, demo):
    response = client.get(URL, {"commune": "Lorient"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Conseil en évolution professionnelle des actifs – antenne Morbihan" in body
    assert "antenne Finistère" not in body
    assert "Pourquoi ce conseil" in body and "votre employeur n&#x27;est pas informé" in body
    assert "/structures/spro-demo--cep-56" in body


def test_a_commune_without_a_competent_operator_says_so(client, demo):
    """Laval (Mayenne) is outside the demo network: the page shows the routing's note, never a false « competent »."""
    response = client.get(URL, {"commune": "53130"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pourquoi ce conseil" in body
    assert "appelez-les avant de vous déplacer" in body or "Aucune structure de ce type" in body


@pytest.mark.parametrize("commune", ["Zzzyxw", "x" * 300])
def test_an_unknown_commune_is_a_french_error(client, demo, commune):
    response = client.get(URL, {"commune": commune})
    assert response.status_code == 400
    body = response.content.decode()
    assert "field__error" in body and "Pourquoi ce conseil" not in body
