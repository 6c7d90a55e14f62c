"""/pro/decrochage/indicateurs and its downloads: who gets what, bad filters are 400s."""

from __future__ import annotations

import pytest

from tests.dropouts.conftest import line, run_import, write_list

pytestmark = pytest.mark.django_db

PAGE = "/pro/decrochage/indicateurs/"


@pytest.fixture
def listed(zone_world):
    lines = [line(ine=f"{i:010d}A", nom=f"Jeune {chr(65 + i)}", commune="29232") for i in range(3)]
    run_import(write_list(zone_world["tmp"], *lines), "2025-11")
    return zone_world


def test_pilot_page_csv_and_ods(client, listed):
    client.force_login(listed["users"]["pilote_etat"])
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and "<caption>Contact des jeunes listés, campagne 2025-11" in html
    assert "Jeune A" not in html and "Jeune B" not in html  # counts only, never a name
    csv = client.get(PAGE + "indicateurs.csv", {"campagne": "2025-11"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "2025-11;Contact des jeunes listés;quimper;PSAD de Cornouaille;Jeunes listés;< 5" in text
    ods = client.get(PAGE + "indicateurs.ods", {"campagne": "2025-11", "zone": "quimper"})
    assert ods.status_code == 200
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"


def test_coordinator_sees_only_their_zone_and_others_are_refused(client, listed):
    users = listed["users"]
    client.force_login(users["coordinateur_rennes"])
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE, {"campagne": "2025-11", "zone": "quimper"}).status_code == 400
    assert client.get(PAGE + "indicateurs.csv", {"campagne": "2025-11", "zone": "quimper"}).status_code == 400
    for role in ("conseiller_ml_quimper", "conseiller_cio_quimper", "nobody"):
        client.force_login(users[role])
        assert client.get(PAGE).status_code == 403
        assert client.get(PAGE + "indicateurs.ods", {"campagne": "2025-11"}).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_unknown_campaign_is_a_400(client, listed):
    client.force_login(listed["users"]["pilote_region"])
    assert client.get(PAGE, {"campagne": "2019-01"}).status_code == 400
    assert client.get(PAGE + "indicateurs.csv", {"campagne": "<script>"}).status_code == 400
