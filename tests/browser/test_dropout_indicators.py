"""The dropout indicators' page by keyboard: filters, charts with their tables, downloads; axe-core clean."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import KeyboardWalk
from tests.dropouts.conftest import line, run_import, write_list, zone_world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser]


def test_filters_charts_tables_and_downloads_by_keyboard(browser_context_factory, live_server, zone_world):  # noqa: F811
    from django.test import Client

    tmp = zone_world["tmp"]
    lines = [line(ine=f"{i:010d}A", nom=f"Jeune {chr(65 + i)}", commune="29232") for i in range(7)]
    lines += [line(ine=f"{i:010d}B", nom=f"Autre {chr(65 + i)}", commune="35238") for i in range(3)]
    run_import(write_list(tmp, *lines), "2025-11")
    client = Client()
    client.force_login(zone_world["users"]["pilote_region"])
    context = browser_context_factory()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page: Any = context.new_page()
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/decrochage/indicateurs/")
    walk.axe()
    main = page.get_by_role("main")
    assert "Contact des jeunes listés" in main.inner_text()
    assert page.locator("svg[role=img]").count() == 8  # one chart per table, all young people then the minors
    walk.tab_to(page.get_by_label("Campagne"), "the campaign filter")
    walk.tab_to(page.get_by_label("Zone de PSAD"), "the zone filter")
    page.get_by_label("Zone de PSAD").select_option("rennes")
    walk.tab_to(page.get_by_role("button", name="Afficher"), "the submit button")
    walk.press()
    table = page.get_by_role("table", name="Contact des jeunes listés, campagne 2025-11, par zone")
    assert "PSAD du bassin rennais" in table.inner_text() and "Cornouaille" not in table.inner_text()
    assert "< 5" in table.inner_text()  # Rennes' 3 young people
    for name, kind in (
        ("CSV", "text/csv"),
        ("tableur ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    ):
        link = page.get_by_role("link", name=name, exact=True)
        walk.tab_to(link, f"the {name} download")
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"].startswith(kind)
    assert not walk.problems, "\n\n".join(walk.problems)
