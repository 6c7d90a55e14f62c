"""The « Pour les professionnels » fold-out (`core/_pro_codes.html`): codes for advisers, never an empty label."""

from __future__ import annotations

from django.template.loader import render_to_string


def render(codes) -> str:
    return render_to_string("core/_pro_codes.html", {"codes": codes})


def test_the_codes_are_folded_under_pour_les_professionnels():
    html = render([("Code ROME", "J1506"), ("Code UAI", "0350000A")])
    assert '<details class="pro-codes">' in html and "<summary>Pour les professionnels</summary>" in html
    assert "<dt>Code ROME</dt><dd>J1506</dd>" in html and "<dt>Code UAI</dt><dd>0350000A</dd>" in html
    assert html.index("Code ROME") < html.index("Code UAI"), "the view's order is kept"
    assert " open" not in html, "folded by default"


def test_a_label_without_a_value_is_skipped():
    html = render([("Code ROME", "J1506"), ("Formacode", ""), ("NSF", None), ("RS", []), ("CFD", "  ")])
    assert "Code ROME" in html
    for label in ("Formacode", "NSF", "RS", "CFD"):
        assert label not in html, label


def test_lists_are_one_line_and_numbers_are_codes_too():
    html = render([("Répertoire spécifique (RS)", ["RS1234", "", "RS5678"]), ("Niveau", 0)])
    assert "<dd>RS1234, RS5678</dd>" in html and "<dd>0</dd>" in html


def test_nothing_is_drawn_when_every_value_is_empty():
    assert render([("Code UAI", ""), ("Formacode", None)]).strip() == ""
    assert render([]).strip() == ""
    assert render(None).strip() == ""
