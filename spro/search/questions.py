"""Does a search-box text read as a question or a sentence about oneself rather than search words?

« je sais pas quoi faire apres la 3eme » typed in the search box found ski-instructor diplomas: the search
matches words, it cannot answer a situation. When the text reads as a sentence, the results page offers
« Poser votre question » (the first personalised answer) with the text carried over. Search words must not
trigger it: « infirmière », « cap cuisine », « bts sio rennes », « travailler avec les animaux ». The text is
only read here, never stored.
"""

from __future__ import annotations

import re
import unicodedata

#: Words that make a text about the writer or a question to us (folded, apostrophes split off).
_PERSONAL = frozenset(
    [
        "je",
        "j",
        "me",
        "m",
        "moi",
        "mon",
        "ma",
        "mes",
        "nous",
        "notre",
        "nos",
        "tu",
        "t",
        "te",
        "toi",
        "ton",
        "ta",
        "tes",
        "vous",
        "votre",
        "vos",
        "il",
        "elle",
    ]
)
#: Words that open a question.
_OPENERS = frozenset(
    [
        "comment",
        "quoi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "pourquoi",
        "ou",
        "combien",
        "qui",
        "quand",
        "est",
        "que",
        "puis",
        "peut",
        "peux",
        "dois",
        "doit",
    ]
)
#: Word sequences that only appear in sentences (folded, space separated).
_PHRASES = (
    "quoi faire",
    "que faire",
    "sais pas",
    "sait pas",
    "ne sais",
    "ai besoin",
    "besoin d aide",
    "aidez",
    "aider moi",
    "est ce",
    "y a t il",
    "a t on",
    "faut il",
    "peut on",
    "puis je",
    "dois je",
    "ai arrete",
    "ai ans",
    "veux",
    "voudrais",
    "aimerais",
    "souhaite",
    "souhaiterais",
)
#: More words than this is a sentence: search queries are short (the longest real ones seen have 6 words).
MAX_QUERY_WORDS = 7

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return [w for w in _NON_WORD.split(_fold(text)) if w]


def looks_like_question(text: str | None) -> bool:
    """True when the text reads as a question or a sentence about the writer's situation.

    Signs, any of them: a question mark; a first- or second-person word (je, j’, mon, ma, vous…); a question
    word first (comment, quoi, pourquoi…); a phrase only sentences hold (quoi faire, je veux, j’ai besoin…);
    more than MAX_QUERY_WORDS words.
    """
    if not text or not text.strip():
        return False
    if "?" in text:
        return True
    words = _words(text)
    if not words:
        return False
    if len(words) > MAX_QUERY_WORDS:
        return True
    if words[0] in _OPENERS and len(words) > 1:
        return True
    if any(word in _PERSONAL for word in words):
        return True
    # Ages and digits are dropped so that « j'ai 17 ans » reads « ai ans ».
    joined = " " + " ".join(w for w in words if not w.isdigit()) + " "
    return any(f" {phrase} " in joined for phrase in _PHRASES)
