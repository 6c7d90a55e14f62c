"""The yearly activity report by keyboard: a Region pilot goes from the professional space to the report's page,
chooses the year and the format, and downloads the report; axe-core clean on both pages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from tests.browser.harness import KeyboardWalk
from tests.monitoring.conftest import add_contact, network  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser]


def test_a_region_pilot_downloads_the_report_by_keyboard(browser_context_factory, live_server, network):  # noqa: F811
    from django.test import Client

    from spro.audit.models import AuditEvent

    today = dt.date.today()
    for channel, n in (("telephone", 8), ("courriel", 6)):
        for _ in range(n):
            add_contact(network, channel=channel, commune=network["29232"], date=today)
    client = Client()
    client.force_login(network["users"]["pilote_region"])
    context = browser_context_factory(accept_downloads=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page: Any = context.new_page()
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/")
    walk.axe()
    walk.tab_to(
        page.get_by_role("link", name="Rapport annuel d’activité pour le CREFOP"), "the report's link"
    )
    walk.press()
    assert page.url.endswith("/pro/pilotage/rapport/")
    year = page.get_by_label("Année du rapport")
    walk.tab_to(year, "the year")
    assert year.input_value() == str(today.year - 1)  # the last full year by default
    page.keyboard.press("ArrowUp")  # the years run from the current one down
    assert year.input_value() == str(today.year)
    walk.tab_to(page.get_by_label("PDF (à lire et imprimer)"), "the format (PDF checked)")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("ODT (texte modifiable, LibreOffice ou Word)").is_checked()
    walk.tab_to(page.get_by_role("button", name="Télécharger le rapport"), "the download button")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == f"rapport-annuel-spro-{today.year}.odt"
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    content = archive.read("content.xml").decode("utf-8")
    assert "Premiers contacts par canal" in content and "Finistère (29)" in content
    assert ">14<" in content  # 8 by phone and 6 by e-mail this year
    assert (
        AuditEvent.objects.filter(action="monitoring.report", user=network["users"]["pilote_region"]).count()
        == 1
    )
    assert not walk.problems, "\n\n".join(walk.problems)
