"""Every string a visitor reads is wrapped for translation: English can come without editing templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import spro

ROOT = Path(spro.__file__).parent
DATA_SOURCES = ROOT / "referentials" / "templates" / "referentials" / "data_sources.html"
TEMPLATES = sorted([*ROOT.glob("core/templates/**/*.html"), DATA_SOURCES])
LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def untranslated_text(source: str) -> list[str]:
    """Visible text and text attributes left outside {% translate %} / {% blocktranslate %}."""
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)
    source = re.sub(r"<svg.*?</svg>|<code>.*?</code>", "", source, flags=re.S)  # icons, technical names
    found = [text.strip() for text in re.findall(r">([^<]*)<", source) if LETTER.search(text)]
    found += re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*[A-Za-zÀ-ÿ][^"]*)"', source)
    return [text for text in found if text.lower() not in {"<!doctype html>"}]


def test_every_template_is_checked():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "home.html", "404.html", "500.html", "data_sources.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_visible_text_escapes_translation(template):
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


def test_the_detector_finds_untranslated_text():
    assert untranslated_text('<p>Bonjour</p><a aria-label="Fermer">{% translate "x" %}</a>') == [
        "Bonjour",
        "Fermer",
    ]
    wrapped = "<p>{% translate 'Bonjour' %}</p>{% blocktranslate %}<b>a</b>{% endblocktranslate %}"
    assert untranslated_text(wrapped) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_makemessages_can_extract_every_template(template):
    """`makemessages` runs templatize: a tag it cannot read in a blocktranslate would block English later."""
    from django.utils.translation.template import templatize

    source = template.read_text(encoding="utf-8")
    extracted = templatize(source, origin=str(template))
    # A template with no text of its own (a form field's layout) has nothing to extract.
    if "translate" in source:
        assert "gettext(" in extracted
