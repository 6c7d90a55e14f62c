"""The shared form pieces of spro/core/forms.py."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from spro.core.forms import PlainSelect

CHOICES = [
    ("", "Choisissez"),
    ("a", "Mission locale <Brest> & « Iroise »"),
    ('b"c', "Guillemets \" et 'apostrophes'"),
    ("Groupe", [("g1", "Dans le groupe"), ("g2", "Autre")]),
    (7, "Un nombre"),
]


def _normalised(html: str):
    """Compared as a browser reads them: attribute order and the white space between options do not count."""
    return parse_html(html)


class _Form(forms.Form):
    django = forms.ChoiceField(label="Avec le gabarit de Django", choices=CHOICES)
    plain = forms.ChoiceField(label="Écrit en Python", choices=CHOICES, widget=PlainSelect)


@pytest.mark.parametrize("value", [None, "", "a", 'b"c', "g2", 7, "inconnu"])
def test_plain_select_writes_the_same_markup_as_djangos_select(value):
    form = _Form(initial={"django": value, "plain": value})
    django_html = str(form["django"]).replace('name="django"', 'name="X"').replace('id="id_django"', 'id="X"')
    plain_html = str(form["plain"]).replace('name="plain"', 'name="X"').replace('id="id_plain"', 'id="X"')
    assert _normalised(plain_html) == _normalised(django_html)
    assert plain_html.count("<option") == 6


def test_plain_select_keeps_the_error_attributes_of_a_bound_form():
    form = _Form(data={"django": "absent", "plain": "absent"})
    assert not form.is_valid()
    plain_html = str(form["plain"])
    assert 'aria-invalid="true"' in plain_html and "required" in plain_html
    assert "&lt;Brest&gt; &amp; « Iroise »" in plain_html
    assert "<Brest>" not in plain_html
