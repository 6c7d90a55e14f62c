"""The professional space's templates wrap every visible string for translation, as the public site does."""

from __future__ import annotations

from pathlib import Path

import pytest

import spro
from tests.core.test_templates_i18n import untranslated_text

ROOT = Path(spro.__file__).parent
TEMPLATES = sorted(
    [*(ROOT / "accounts" / "templates").rglob("*.html"), *(ROOT / "contacts" / "templates").rglob("*.html")]
)


def test_the_templates_are_found():
    assert {"login.html", "dashboard.html", "new.html", "statistics.html"} <= {
        path.name for path in TEMPLATES
    }


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_visible_text_escapes_translation(template):
    assert untranslated_text(template.read_text(encoding="utf-8")) == []
