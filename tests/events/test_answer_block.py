"""« Prochains événements près de chez vous » on the real first answer: shown with an upcoming published entry of the
person's département, absent without one (nothing else of the answer changes)."""

from __future__ import annotations

import pytest

from tests.answer.support import make_communes

from .conftest import make_rdv

pytestmark = pytest.mark.django_db
TITLE = "Prochains événements près de chez vous"


def ask(client, commune: str):
    data = {"text": "je veux devenir infirmière", "age": "30", "statut": "salarie", "commune": commune}
    response = client.post("/question", data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def test_the_answer_shows_the_events_of_the_persons_departement_only_when_there_are_some(client):
    make_communes()
    assert TITLE not in ask(client, "Rennes")
    make_rdv(titre="Forum santé social", departement_id="35")
    make_rdv(titre="Proposition non relue", departement_id="35", statut="soumise")
    html = ask(client, "Rennes")
    assert TITLE in html and "Forum santé social" in html and "Proposition non relue" not in html
    assert 'href="/agenda?departement=35"' in html
