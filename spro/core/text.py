"""Free text typed by the public, made safe to store and to show to someone else.

Invisible format characters (zero-width spaces and joiners, bidirectional embeddings, overrides and isolates, the
byte-order mark, soft hyphens…: Unicode category Cf) can make a first name look like another one, reverse the
order of what follows it on a professional's page, or hide text. `clean_text` removes them (and control
characters) on input and composes accents (NFC) so that « é » is stored one way; `display_text` removes them
again on output, for values stored before this rule existed. Templates also isolate such values with `<bdi>` so
that a right-to-left name cannot reorder the text around it.
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters, except tab and line feed (kept in multi-line text).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n{3,}")


def _is_format(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def strip_format_characters(value: str) -> str:
    """Remove every Unicode format character (Cf): U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF, U+00AD…"""
    if value.isascii():
        return value
    return "".join(char for char in value if not _is_format(char))


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Normalise text typed by a person before it is stored: NFC, no format or control character, trimmed.

    `multiline` keeps line breaks (CR LF and CR become LF; more than one blank line becomes one); otherwise any
    line break or tab becomes a space."""
    text = unicodedata.normalize("NFC", value or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _CONTROL.sub("", strip_format_characters(text))
    if multiline:
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()


def display_text(value: object) -> str:
    """The same rule at display time (for values stored before it existed, or by another path)."""
    if value is None:
        return ""
    return _CONTROL.sub("", strip_format_characters(unicodedata.normalize("NFC", str(value))))
