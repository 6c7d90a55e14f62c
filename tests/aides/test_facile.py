"""« Facile à lire » for the schemes and aids (issue 15 part 4, docs/design/answer.md): every built-in scheme has an
easy text that meets the thresholds of spro.core.readability, and /aides switches to it with one link."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from spro.aides.catalogue import load
from spro.core.readability import measure


def test_every_built_in_scheme_has_an_easy_text_that_meets_the_thresholds():
    dispositifs = load().dispositifs
    assert len(dispositifs) >= 20
    missing = [d.id for d in dispositifs if not d.facile]
    assert missing == []
    too_hard = [
        f"{d.id}: {'; '.join(measure(d.facile).problems())}"
        for d in dispositifs
        if measure(d.facile).problems()
    ]
    assert too_hard == [], "\n".join(too_hard)


def toggle(page: str) -> tuple[str, str]:
    found = re.search(r'<a href="([^"]+)" class="answer__facile-lien">(.*?)</a>', page, re.S)
    assert found, page[:2000]
    return html_lib.unescape(found.group(1)), " ".join(re.sub(r"<[^>]+>", "", found.group(2)).split())


@pytest.mark.django_db
def test_the_aides_page_shows_the_easy_texts_and_back(client):
    page = client.get("/aides", {"age": "17", "statut": "sans-activite"}).content.decode()
    url, words = toggle(page)
    assert words == "Version facile à lire (vous lisez la version complète)"
    assert "facile=1" in url and "age=17" in url
    easy = client.get(url)
    assert easy.status_code == 200
    easy_page = easy.content.decode()
    back, words = toggle(easy_page)
    assert words == "Version complète (vous lisez la version facile à lire)"
    assert "facile" not in back
    shown = [d for d in load().dispositifs if f'id="aide-{d.id}"' in easy_page]
    assert shown, "some schemes concern a 17-year-old"
    text = html_lib.unescape(easy_page)
    for d in shown:
        assert d.facile in text and d.resume not in text, d.id
    assert '<input type="hidden" name="facile" value="1">' in easy_page  # the form keeps the easy version
    assert all(d.resume in html_lib.unescape(page) for d in shown)
