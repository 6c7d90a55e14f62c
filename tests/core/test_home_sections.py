"""The home page's section hook (spro/core/home.py): apps register a template and a context callable; a section
whose callable returns nothing is not rendered; one template is registered once."""

from __future__ import annotations

import pytest

from spro.core import home

CONTEXT: dict = {}


def context_of(request):
    return dict(CONTEXT) or None


@pytest.fixture
def section(monkeypatch):
    monkeypatch.setattr(
        home, "render_to_string", lambda name, context, request=None: f"[{name}:{context.get('n', '')}]"
    )
    monkeypatch.setattr(home, "_sections", [])
    home.register_home_section("a.html", "tests.core.test_home_sections.context_of")
    home.register_home_section("b.html", "tests.core.test_home_sections.context_of")
    home.register_home_section("a.html", "tests.core.test_home_sections.context_of")
    yield
    CONTEXT.clear()


def test_sections_render_in_registration_order_once_each(section, rf):
    CONTEXT["n"] = 1
    assert [str(s) for s in home.render_sections(rf.get("/"))] == ["[a.html:1]", "[b.html:1]"]


def test_a_section_without_context_is_not_rendered(section, rf):
    assert home.render_sections(rf.get("/")) == []


def test_unregister(section, rf):
    CONTEXT["n"] = 2
    home.unregister_home_section("a.html")
    assert [s.template_name for s in home.registered()] == ["b.html"]
