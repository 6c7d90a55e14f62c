"""Issue 14: the public site is French throughout for any browser until a complete translation exists: an English
browser gets Django's French form messages and French number formats, not a page mixing both languages."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation

ENGLISH = {"accept-language": "en-US,en;q=0.9"}


@pytest.fixture
def english_browser_language(client, db) -> str:
    """The language LocaleMiddleware activates for an English browser."""
    response = client.get(reverse("home"), headers=ENGLISH)
    assert '<html lang="fr">' in response.content.decode()
    return response.wsgi_request.LANGUAGE_CODE


def test_an_english_browser_gets_french_form_messages(english_browser_language):
    assert english_browser_language == "fr"
    with translation.override(english_browser_language), pytest.raises(forms.ValidationError) as error:
        forms.CharField().clean("")
    assert error.value.messages == ["Ce champ est obligatoire."]


def test_an_english_browser_gets_french_number_formats(english_browser_language):
    with translation.override(english_browser_language):
        assert formats.localize(0.5) == "0,5"
