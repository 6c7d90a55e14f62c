"""spro.core.text: invisible format characters removed from text typed by the public, NFC."""

from __future__ import annotations

import pytest

from spro.core.text import clean_text, display_text, strip_format_characters


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"]
    + ["\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad", "\u2060", "\u061c"],
)
def test_each_format_character_is_removed(char):
    assert clean_text(f"Ca{char}mille{char}") == "Camille"
    assert display_text(f"{char}Camille") == "Camille"
    assert strip_format_characters(char) == ""


def test_accents_are_composed_and_control_characters_dropped():
    assert clean_text("Ame\u0301lie\x00\x07") == "Amélie"
    assert clean_text("  Léa\tMarie \n") == "Léa Marie"


def test_multiline_text_keeps_its_lines():
    assert clean_text("Bonjour\r\nje cherche\r\r\r\nune formation  \n", multiline=True) == (
        "Bonjour\nje cherche\n\nune formation"
    )


def test_plain_text_and_none_are_unchanged():
    assert clean_text(None) == "" and display_text(None) == ""
    assert clean_text("Jean-Pierre O’Neil") == "Jean-Pierre O’Neil"
    assert display_text("محمد") == "محمد"  # right-to-left letters are text, not format characters
