"""One French text normaliser, used at index time AND at query time, so both sides see identical tokens.

Pipeline (see docs/search.md): NFKC → lowercase → typographic apostrophes → accents folded → elisions
dropped (l', d', qu'…) → split on anything that is not a letter or a digit → multi-word synonyms
("bac pro", "prof de") → per-word synonyms (slang, short forms, acronyms, activity nouns) → stop words dropped →
gender and plural forms folded by suffix rules (infirmières → infirmier, vendeuse → vendeur,
directrice → directeur, sportive → sportif, cheffe → chef…).

The output tokens contain only [a-z0-9], so they are safe to quote in FTS5 or tsquery syntax.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonymes.csv"
SYNONYM_TYPES = ("abreviation", "argot", "activite", "variante", "mot-vide")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)'")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_REPLACEMENTS = tuple((chr(k), v) for table in (_APOSTROPHES, _LIGATURES) for k, v in table.items())

_STOP_TEXT = """
a au aux avec ce ces cet cette dans de des du en et est il ils je la le les leur leurs lui ma mais me mes
mon ne ni nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un une vos votre
vous y ai as etre avoir suis sont comme tout tous toute toutes tres plus moins
chez entre vers sans sous afin ainsi donc car si
je veux voudrais aimerais souhaite cherche recherche trouver devenir faire travailler travail metier metiers
emploi emplois job boulot quel quelle quels quelles comment quoi
"""
#: French function words, single letters and words that carry no search meaning in this service.
STOP_WORDS = frozenset(_STOP_TEXT.split()) | frozenset("abcdefghijklmnopqrstuvwxyz")

#: Irregular plurals and forms that the suffix rules would get wrong.
_IRREGULAR = {
    "travaux": "travail",
    "vitraux": "vitrail",
    "emaux": "email",
    "coraux": "corail",
    "yeux": "oeil",
    "cheffe": "chef",
    "cheffes": "chef",
    "chefs": "chef",
    "fils": "fils",
    "bus": "bus",
    "cours": "cours",
    "corps": "corps",
    "temps": "temps",
    "gaz": "gaz",
    "pays": "pays",
    "prix": "prix",
    "paix": "paix",
    "voix": "voix",
    "choix": "choix",
    "bois": "bois",
    "mois": "mois",
    "fois": "fois",
    "poids": "poids",
    "dos": "dos",
    "jus": "jus",
    "bras": "bras",
    "avis": "avis",
    "bis": "bis",
    "os": "os",
    "dessus": "dessus",
    "tissus": "tissu",
    "processus": "processus",
    "virus": "virus",
    "campus": "campus",
    "fiscal": "fiscal",
    # English job titles whose feminine is French (designer / designeuse) and pairs of different words.
    "designer": "designeur",
    "reporter": "reporteur",
    "rewriter": "rewriteur",
    "dispatcher": "dispatcheur",
    "booker": "bookeur",
    "barmaid": "barman",
    "femme": "homm",
    "femmes": "homm",
    "woman": "man",
    "fille": "garcon",
}

#: Feminine → masculine suffix rules, longest first; applied after the plural is removed.
_FEMININE_RULES: tuple[tuple[str, str], ...] = (
    ("eresse", "eur"),  # demanderesse → demandeur
    ("teresse", "teur"),
    ("iere", "ier"),  # infirmiere → infirmier, boulangere → boulanger
    ("ere", "er"),  # bouchere → boucher
    ("euse", "eur"),  # vendeuse → vendeur
    ("rice", "eur"),  # directrice → directeur, ambassadrice → ambassadeur
    ("ienne", "ien"),  # technicienne → technicien
    ("eenne", "een"),
    ("enne", "en"),
    ("onne", "on"),  # patronne → patron
    ("elle", "el"),  # professionnelle → professionnel
    ("ette", "et"),  # cadette → cadet
    ("effe", "ef"),  # cheffe → chef
    ("ive", "if"),  # sportive → sportif
    ("tesse", "te"),  # hotesse → hote
    ("tresse", "tre"),  # maitresse → maitre
    ("oresse", "eur"),
    ("que", "c"),  # publique → public
    ("woman", "man"),  # camerawoman → cameraman
)

_MIN_STEM = 3


def fold(text: str) -> str:
    """Lowercase, fold accents and ligatures, unify apostrophes; keeps punctuation (elisions need it)."""
    text = unicodedata.normalize("NFKC", text).lower()
    # str.replace per character is C-speed, where translate() with a dict table walks every character in Python.
    for char, replacement in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, replacement)
    # After NFKD every accented Latin letter is a base letter plus combining marks; anything left outside
    # ASCII (emoji, other scripts) can never be part of a token, so dropping it here is safe.
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_ASCII.sub(" ", decomposed)


def split_words(text: str) -> list[str]:
    """Folded words, elisions dropped, split on anything that is not [a-z0-9]."""
    folded = _ELISION.sub(" ", fold(text))
    return [w for w in _NON_WORD.split(folded) if w]


@functools.lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Gender and plural folding of one folded word by suffix rules (no synonyms, no stop words)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= _MIN_STEM or word.isdigit():
        return word
    # Plural.
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    # Feminine.
    if word.endswith("ee"):
        word = word[:-1]  # privee → prive, deleguee → delegue: then as the masculine
    for suffix, replacement in _FEMININE_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)] + replacement
            break
    # Final mute e's of a feminine or a past participle (agente → agent, chargée and chargé → charg,
    # employée → employ) or of any word: the same on both sides, so "ecole" and "ecoles" meet at "ecol".
    while word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Synonym:
    terme: str
    equivalents: tuple[str, ...]
    type: str
    note: str
    line: int


class SynonymFileError(ValueError):
    """A bad line in the synonym table: the message names the file, the line and the problem."""


def load_synonyms(path: Path = SYNONYMS_FILE) -> list[Synonym]:
    """Read and validate the reviewed synonym table. Any bad line raises SynonymFileError (file:line: why)."""
    entries: list[Synonym] = []
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != ["terme", "equivalents", "type", "note"]:
            raise SynonymFileError(f"{path}:1: header must be terme,equivalents,type,note (got {header})")
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].startswith("#"):
                continue
            if len(row) != 4:
                raise SynonymFileError(f"{path}:{line}: expected 4 columns, got {len(row)}")
            terme, equivalents, kind, note = (cell.strip() for cell in row)
            if not terme:
                raise SynonymFileError(f"{path}:{line}: empty terme")
            if kind not in SYNONYM_TYPES:
                raise SynonymFileError(
                    f"{path}:{line}: type {kind!r} is not one of {', '.join(SYNONYM_TYPES)}"
                )
            if kind != "mot-vide" and not equivalents:
                raise SynonymFileError(f"{path}:{line}: empty equivalents for {terme!r}")
            key = " ".join(split_words(terme))
            if not key:
                raise SynonymFileError(f"{path}:{line}: terme {terme!r} has no letters or digits")
            if key in seen:
                raise SynonymFileError(f"{path}:{line}: terme {terme!r} already defined on line {seen[key]}")
            seen[key] = line
            eq_words = tuple(split_words(equivalents))
            if kind != "mot-vide" and not eq_words:
                raise SynonymFileError(f"{path}:{line}: equivalents {equivalents!r} have no words")
            entries.append(Synonym(key, eq_words, kind, note, line))
    return entries


class Normaliser:
    """Holds the synonym table compiled into lookups; `normalise` is the module-level entry point."""

    def __init__(self, synonyms: list[Synonym]):
        self.single: dict[str, tuple[str, ...]] = {}
        self.multi: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.max_phrase = 1
        self.phrase_starts: dict[str, list[tuple[str, ...]]] = {}
        for syn in synonyms:
            words = tuple(syn.terme.split())
            if len(words) == 1:
                # Both the written form and its folded form, so that plurals and feminines match too.
                self.single[words[0]] = syn.equivalents
                self.single.setdefault(fold_word(words[0]), syn.equivalents)
            else:
                key = tuple(fold_word(w) for w in words)
                self.multi[key] = syn.equivalents
                self.max_phrase = max(self.max_phrase, len(words))
                self.phrase_starts.setdefault(key[0], []).append(key)
        for keys in self.phrase_starts.values():
            keys.sort(key=len, reverse=True)
        # Per-word results, computed once: the index build normalises ~150,000 texts of a few thousand distinct
        # words, so looking each word up again was most of its time. Bounded, since query words are unbounded.
        self._words: dict[str, tuple[tuple[str, ...], bool]] = {}

    def lookup(self, word: str) -> tuple[str, ...]:
        found = self.single.get(word)
        if found is None:
            found = self.single.get(fold_word(word), (word,))
        return found

    def phrase_at(self, folded: list[str], i: int) -> tuple[str, ...] | None:
        """The longest multi-word synonym starting at position i (words compared in folded form)."""
        for key in self.phrase_starts.get(folded[i], ()):
            if tuple(folded[i : i + len(key)]) == key:
                return key
        return None

    def expand(self, words: list[str]) -> list[str]:
        """Replace multi-word then single-word synonyms by their equivalents (folded words)."""
        out: list[str] = []
        folded = [fold_word(w) for w in words]
        i = 0
        while i < len(words):
            key = self.phrase_at(folded, i) if folded[i] in self.phrase_starts else None
            if key:
                out.extend(self.multi[key])
                i += len(key)
            else:
                out.extend(self.lookup(words[i]))
                i += 1
        return out

    def _word(self, word: str) -> tuple[tuple[str, ...], bool]:
        """(canonical tokens of `word`, whether a multi-word synonym may start with it), cached."""
        found = self._words.get(word)
        if found is None:
            canonical = tuple(fold_word(w) for w in self.lookup(word) if w not in STOP_WORDS)
            found = (canonical, fold_word(word) in self.phrase_starts)
            if len(self._words) < _WORD_CACHE_SIZE:
                self._words[word] = found
        return found

    def word_tokens(self, word: str) -> list[str]:
        """Canonical tokens of one folded word (synonym, stop word, gender/plural folding)."""
        return list(self._word(word)[0])

    def tokens(self, text: str) -> list[str]:
        """The same tokens as folding `expand(split_words(text))` minus stop words, one cached lookup per word."""
        words = split_words(text)
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            canonical, may_start = self._word(words[i])
            if may_start:
                folded = [fold_word(w) for w in words[i : i + self.max_phrase]]
                key = self.phrase_at(folded, 0)
                if key:
                    out.extend(fold_word(w) for w in self.multi[key] if w not in STOP_WORDS)
                    i += len(key)
                    continue
            out.extend(canonical)
            i += 1
        return out


_WORD_CACHE_SIZE = 200_000


@functools.lru_cache(maxsize=1)
def get_normaliser() -> Normaliser:
    return Normaliser(load_synonyms())


def tokens(text: str) -> list[str]:
    """Canonical tokens of `text` (in order, duplicates kept)."""
    return get_normaliser().tokens(text)


@functools.lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Space-joined canonical tokens: the one form stored in the index and matched at query time.

    Cached: the index build sees the same labels again and again (domains, sectors, appellations shared by
    fiches: 64,000 distinct texts among 147,000).
    """
    return " ".join(tokens(text))
