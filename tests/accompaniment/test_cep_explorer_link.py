"""The explorer's results offer the employed person an optional way to the CEP operator of their commune."""

from __future__ import annotations

import pytest

from spro.answer import metiers
from spro.explorer import referential
from spro.referentials.rome.importers import RomeDataset
from tests.conftest import imported

pytestmark = pytest.mark.django_db

ANSWERS = "r1=1&r2=2&r3=1&r8=3&r9=2&r14=1&r22=3&r23=2&r30=0"


@pytest.fixture(scope="module")
def rome(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, RomeDataset()):
        metiers.clear_index()
        referential.clear()
        yield
    metiers.clear_index()
    referential.clear()


def test_the_results_link_to_the_cep_operator_page(rome, client):
    html = client.get(f"/explorer/resultats?{ANSWERS}").content.decode()
    assert "Vous êtes en emploi et pensez à changer de métier ?" in html
    assert 'href="/conseil-en-evolution-professionnelle"' in html
