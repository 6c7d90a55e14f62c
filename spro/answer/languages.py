"""Which language a request is written in: French, or another one (the answer then invites the person to write in
French, since the analysers read French).

Why a module of its own: the word lists are data about languages, not facts about a person's situation
(spro.answer.facts); a stop-word ratio over the search normaliser's folded words is enough for the few languages a
newcomer is likely to write in, and never needs a model.
"""

from __future__ import annotations

import re

from spro.core.normaliser import split_words

_FR = frozenset(
    [
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "au",
        "aux",
        "et",
        "ou",
        "mais",
        "donc",
        "car",
        "ne",
        "pas",
        "plus",
        "que",
        "qui",
        "quoi",
        "est",
        "suis",
        "sont",
        "ai",
        "as",
        "avoir",
        "etre",
        "fait",
        "faire",
        "veux",
        "voudrais",
        "peux",
        "dois",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "son",
        "sa",
        "ses",
        "pour",
        "dans",
        "sur",
        "avec",
        "sans",
        "chez",
        "comment",
        "pourquoi",
        "quel",
        "quelle",
        "bonjour",
        "merci",
        "salut",
        "jai",
        "cherche",
        "travail",
        "emploi",
        "formation",
        "metier",
        "ans",
        "ca",
        "c",
        "cest",
        "cela",
        "ce",
        "cette",
        "ces",
        "moi",
        "oui",
        "non",
        "tres",
        "aussi",
        "depuis",
        "apres",
        "avant",
    ]
)
#: French words also written in the other languages above (beyond those of _FR): never counted against French.
_FR_SHARED_EXTRA = frozenset(["en", "a", "es", "y", "do", "em", "e", "os", "as", "su", "o", "mi", "con"])
_OTHER = {
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "of",
            "to",
            "in",
            "on",
            "for",
            "with",
            "is",
            "are",
            "am",
            "i",
            "you",
            "he",
            "she",
            "we",
            "they",
            "my",
            "your",
            "it",
            "this",
            "that",
            "what",
            "how",
            "where",
            "can",
            "could",
            "would",
            "should",
            "do",
            "does",
            "have",
            "has",
            "be",
            "looking",
            "job",
            "work",
            "want",
            "help",
            "please",
            "hello",
            "hi",
            "from",
            "speak",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "un",
            "una",
            "y",
            "o",
            "de",
            "del",
            "en",
            "por",
            "para",
            "con",
            "es",
            "soy",
            "estoy",
            "yo",
            "tu",
            "mi",
            "su",
            "que",
            "como",
            "donde",
            "quiero",
            "busco",
            "trabajo",
            "tengo",
            "puedo",
            "hola",
            "gracias",
            "experiencia",
            "ayuda",
            "necesito",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ich",
            "bin",
            "ist",
            "nicht",
            "ein",
            "eine",
            "mit",
            "fur",
            "arbeit",
            "suche",
            "hallo",
            "danke",
            "wie",
            "wo",
        ]
    ),
    "pt": frozenset(
        [
            "eu",
            "sou",
            "o",
            "os",
            "as",
            "um",
            "uma",
            "e",
            "de",
            "do",
            "da",
            "em",
            "para",
            "com",
            "nao",
            "trabalho",
            "procuro",
            "obrigado",
            "ola",
        ]
    ),
}
_FR_SHARED = _FR | _FR_SHARED_EXTRA
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def detect_language(text: str) -> str:
    """ "fr" or "autre". A stop-word ratio test: French unless another language's function words clearly dominate,
    or most letters are outside the Latin script (Arabic, Cyrillic, Chinese…). Short or empty text is French."""
    letters = _LETTER.findall(text or "")
    if not letters:
        return "fr"
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    if latin / len(letters) < 0.5:
        return "autre"
    words = split_words(text[:5000])
    if len(words) < 3:
        return "fr"
    french = sum(1 for w in words if w in _FR)
    # Words that French shares with another language ("de", "en", "la", "a"…) are evidence for neither: a French
    # job title such as "agent de fabrication en fonderie" must not read as Spanish.
    best_other = max(
        sum(1 for w in words if w in vocabulary and w not in _FR_SHARED) for vocabulary in _OTHER.values()
    )
    if best_other >= 3 and best_other > 1.5 * french:
        return "autre"
    return "fr"
