"""One commune resolver for every form, page, the first answer, the API and the command line.

Why: people write a town name, a postal code or both (« Lorient 56100 », « St-Malo (35) », « 29200 », « Quimpr »)
and the site used to accept only INSEE codes in some places and to read a postal code as an INSEE code in others
(« 56100 » is Lorient's postal code and Langonnet's INSEE code). Everything that takes a commune from a person goes
through `resolve`, which says what it understood (`CommuneResolution.understood_as`) so that every page can show it.

Rules (docs/communes.md):
- a 5-digit number is a **postal code**; with a name next to it (« Lorient 56100 », « 56100 Lorient ») the postal code
  only narrows the name, it is never read as an INSEE code. Only when no commune has that postal code is it tried
  as an INSEE code (old links carried INSEE codes). `insee_first=True` (the API and the command line, whose
  `commune` parameter was documented as an INSEE code) reads a valid INSEE code first;
- a name is compared on folded words (accents, case, hyphens, apostrophes, « St »/« Ste », a leading
  « Le/La/Les/L' » optional), then with a bounded edit distance over trigram candidates (« Quimpr » → Quimper); a
  typo as close to several names is the most populated of them when it is ten times the next (« Renes » → Rennes);
- what postal addresses add is read through: « 29 200 » is 29200, a trailing « Cedex 9 » is dropped;
- a département after the name (« Saint-Malo (35) », « Saint-Denis 93 ») picks among homonyms; without it, homonyms
  and postal codes shared by several communes come back as `choices`, the most populated first;
- « Paris 15 », « Lyon 3e », « Marseille 13e arrondissement » and the postal codes of arrondissements (alone or with
  the commune's name: « Paris 75015 ») give the arrondissement municipal (its own centre; its bassin d'emploi and
  zone of competence are its parent's).

The index is built in memory on first use (~35,000 communes, about a second) and rebuilt when a newer
successful `geo` import exists (one primary-key lookup per call), so app servers need no restart after an import.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from spro.core import codes
from spro.core.cache import KeyedCache
from spro.core.normaliser import split_words

if TYPE_CHECKING:
    from spro.referentials.geo.models import Commune

Kind = Literal["insee", "postal", "name", "fuzzy", "ambiguous", "unknown"]

MAX_INPUT = 200
MAX_CHOICES = 20
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"le", "la", "les", "l"})
#: Letters left alone by a dropped or missing apostrophe (« Sables d Olonne ») carry no meaning in a name.
_LONE = frozenset({"d", "l"})
_POSTAL_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{5})(?![0-9A-Za-z])")
#: « 29 200 »: a postal code written with a thousands space.
_POSTAL_WITH_SPACE = re.compile(r"(?<![0-9A-Za-z])(\d{2}) (\d{3})(?![0-9A-Za-z])")
#: « Rennes Cedex 9 », « 35043 Rennes Cedex »: copied from a postal address; the name (and département) still tell.
_CEDEX = re.compile(r"[\s,]+cedex(?:\s*\d{1,2})?$", re.IGNORECASE)
#: A département after a name: « (35) », « 35 », « , 2A », « - 974 ».
_DEPARTEMENT_AFTER = re.compile(r"^(?P<name>.*?\D)[\s,(\-]+(?P<dep>\d{2}|2[ABab]|97[1-8])\)?\s*$")
_ARRONDISSEMENT = re.compile(
    r"^(?P<city>paris|lyon|marseille)\s*(?P<n>\d{1,2})\s*(?P<suffix>e|er|eme|ème|è|ieme|ième)?"
    r"(?P<arr>\s*arr(?:ondissement|\.)?)?\s*$",
    re.IGNORECASE,
)
_CITY_DEPARTEMENT = {"paris": "75", "lyon": "69", "marseille": "13"}


@dataclass(frozen=True)
class CommuneRef:
    """What the pages show of a commune, held in memory (no database access to display it)."""

    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    codes_postaux: tuple[str, ...]
    population: int
    parent: str | None = None

    @property
    def code_postal(self) -> str:
        return self.codes_postaux[0] if self.codes_postaux else ""

    @property
    def label(self) -> str:
        """« Lorient (56) »: unique among communes in force, and `resolve` reads it back to the same commune."""
        return f"{self.nom} ({self.departement})"

    @property
    def description(self) -> str:
        """« Lorient (56100, Morbihan) »: what a choice list shows."""
        parts = [part for part in (self.code_postal, self.departement_nom) if part]
        return f"{self.nom} ({', '.join(parts)})" if parts else self.nom

    def as_dict(self) -> dict[str, str]:
        return {
            "code_insee": self.code_insee,
            "nom": self.nom,
            "departement": self.departement,
            "code_postal": self.code_postal,
            "libelle": self.label,
        }


@dataclass(frozen=True)
class CommuneResolution:
    """The outcome of reading what a person typed: one commune, choices, or nothing, and how it was read."""

    query: str
    kind: Kind
    commune: CommuneRef | None = None
    choices: tuple[CommuneRef, ...] = ()
    understood_as: str = ""

    @property
    def ok(self) -> bool:
        return self.commune is not None

    @property
    def ambiguous(self) -> bool:
        return self.kind == "ambiguous"

    @property
    def code_insee(self) -> str | None:
        return self.commune.code_insee if self.commune else None

    @property
    def message(self) -> str:
        """A French sentence for a commune that could not be settled (empty when it was)."""
        if self.kind == "ambiguous":
            return (
                f"Plusieurs communes correspondent à « {self.query} » : choisissez la vôtre "
                f"({len(self.choices)} possibilités)."
            )
        if self.kind == "unknown":
            return (
                f"Nous n’avons pas trouvé la commune « {self.query} ». Écrivez son nom (par exemple Saint-Brieuc), "
                "son code postal ou les deux."
            )
        return ""

    def model(self) -> Commune | None:
        """The database row of the commune (for distances, zones of competence, bassins d'emploi)."""
        if self.commune is None:
            return None
        from spro.referentials.geo.models import Commune

        return (
            Commune.objects.select_related("departement", "bassin_emploi")
            .filter(code_insee=self.commune.code_insee)
            .first()
        )


@dataclass
class CommuneIndex:
    by_code: dict[str, CommuneRef]
    by_name: dict[str, list[CommuneRef]]  # folded name → communes, most populated first
    by_short: dict[str, list[CommuneRef]]  # the same without a leading article (« roche sur yon »)
    by_postal: dict[str, list[CommuneRef]]
    trigrams: dict[str, list[str]]  # trigram → folded names that contain it
    #: short names and their one-letter deletions → folded names (typos in short names)
    deletions: dict[str, list[str]]
    key: tuple | None = None
    names_words: dict[tuple[str, ...], str] = field(default_factory=dict)  # for the answer's reading of texts

    def __bool__(self) -> bool:
        return bool(self.by_code)


def name_key(text: str) -> str:
    """Folded words of a commune name: accents, case, hyphens, apostrophes and « St »/« Ste » forgotten."""
    return " ".join(name_words(text))


def name_words(text: str) -> tuple[str, ...]:
    return tuple(_ABBREVIATIONS.get(w, w) for w in split_words(text) if w not in _LONE)


def _short(key: str) -> str:
    first, _, rest = key.partition(" ")
    return rest if first in _ARTICLES and rest else key


def _trigrams(key: str) -> set[str]:
    padded = f"  {key.replace(' ', '')} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


# --- Index --------------------------------------------------------------------------------------------------------
def geography_key() -> tuple | None:
    """The last successful geography import (one primary-key lookup): a newer one makes every process reload."""
    from spro.referentials.models import ImportRun

    row = (
        ImportRun.objects.filter(dataset="geo", status=ImportRun.Status.SUCCESS)
        .order_by("-id")
        .values_list("id", "started_at")
        .first()
    )
    return (row[0], str(row[1])) if row else None  # the date too: SQLite may reuse an id after a rollback


#: The one index of the process (key "communes"), loaded once per geography import, and again while still empty.
_INDEX: KeyedCache[str, CommuneIndex] = KeyedCache(
    lambda _name, key: build_index(key),
    lambda _name: geography_key(),
    usable=bool,
)


def get_index() -> CommuneIndex:
    """The communes in force, loaded once per geography import (and again while still empty)."""
    return _INDEX.get("communes")


def clear_index() -> None:
    """Forget the loaded communes (after a geography import, and between tests)."""
    _INDEX.clear()


def build_index(import_key: tuple | None = None) -> CommuneIndex:
    from spro.referentials.geo.models import Commune

    rows = (
        Commune.objects.filter(is_active=True)
        .values_list(
            "code_insee",
            "nom",
            "departement_id",
            "departement__nom",
            "codes_postaux",
            "population",
            "commune_parente_id",
        )
        .order_by("code_insee")
    )
    by_code: dict[str, CommuneRef] = {}
    by_name: dict[str, list[CommuneRef]] = {}
    by_short: dict[str, list[CommuneRef]] = {}
    by_postal: dict[str, list[CommuneRef]] = {}
    for code, nom, dep, dep_nom, postaux, population, parent in rows:
        ref = CommuneRef(code, nom, dep, dep_nom or "", tuple(postaux or ()), population or 0, parent)
        by_code[code] = ref
        key = name_key(nom)
        if key:
            by_name.setdefault(key, []).append(ref)
            short = _short(key)
            if short != key:
                by_short.setdefault(short, []).append(ref)
        for postal in ref.codes_postaux:
            by_postal.setdefault(postal, []).append(ref)
    order = _by_population
    for table in (by_name, by_short):
        for refs in table.values():
            refs.sort(key=order)
    for postal, refs in by_postal.items():
        # An arrondissement's postal code is also listed on its parent (Paris has all of 75001…75020): the
        # arrondissement is the precise answer, so the parent is dropped where one of its arrondissements is there.
        parents = {ref.parent for ref in refs if ref.parent}
        by_postal[postal] = sorted((ref for ref in refs if ref.code_insee not in parents), key=order)
    trigrams: dict[str, list[str]] = {}
    deletions: dict[str, list[str]] = {}
    for key in by_name:
        for gram in _trigrams(key):
            trigrams.setdefault(gram, []).append(key)
        compact = key.replace(" ", "")
        if len(compact) <= SHORT_NAME + 1:
            for variant in _deletions(compact):
                deletions.setdefault(variant, []).append(key)
    # The answer reads commune names inside free text word by word: the most populated commune of each name
    # (arrondissements excluded: « Paris 15e Arrondissement » is never written in a sentence).
    names_words: dict[tuple[str, ...], str] = {}
    for key, refs in by_name.items():
        communes = [ref for ref in refs if not ref.parent]
        if communes:
            names_words[tuple(key.split())] = communes[0].code_insee
    return CommuneIndex(by_code, by_name, by_short, by_postal, trigrams, deletions, import_key, names_words)


def _by_population(ref: CommuneRef) -> tuple[int, str]:
    return (-ref.population, ref.code_insee)


# --- Resolution ----------------------------------------------------------------------------------------------------
def clean_input(value: object) -> str:
    """The typed text without control characters, extra spaces or absurd length."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", " ", text)
    return " ".join(text.split())[:MAX_INPUT]


def resolve(
    value: object, *, insee_first: bool = False, index: CommuneIndex | None = None
) -> CommuneResolution:
    """Read a commune from what a person typed (name, postal code, both, name + département, INSEE code).

    Never raises on any string; an empty input is `unknown` with an empty `query`.
    """
    query = clean_input(value)
    if not query:
        return CommuneResolution(query="", kind="unknown")
    index = index if index is not None else get_index()
    text = _CEDEX.sub("", query).strip(" ,;.-") or query.strip(" ,;.-")
    text = _POSTAL_WITH_SPACE.sub(r"\1\2", text)
    code = text.upper()
    if codes.INSEE_COMMUNE.match(code):
        if insee_first and code in index.by_code:
            return _one(query, "insee", index.by_code[code], f"code INSEE {code}")
        if text.isdigit() and text in index.by_postal:
            return _postal(query, text, index.by_postal[text])
        if code in index.by_code:
            return _one(query, "insee", index.by_code[code], f"code INSEE {code}")
        return _unknown(query)
    postal_match = _POSTAL_IN_TEXT.search(text)
    if postal_match:
        postal = postal_match.group(1)
        name = (text[: postal_match.start()] + " " + text[postal_match.end() :]).strip(" ,;.-()")
        candidates = index.by_postal.get(postal, [])
        if name and candidates:
            found = _name_among(name, candidates, index)
            if found:
                return _one(query, "postal", found, f"{found.nom}, code postal {postal}")
        if name:
            # The postal code names no commune of that name: the name alone, in the postal code's département.
            alone = _by_name(query, name, index, departement=_departement_of_postal(postal, index))
            if alone.ok or alone.ambiguous:
                return alone
            return _by_name(query, name, index)
        if candidates:
            return _postal(query, postal, candidates)
        return _unknown(query)
    arrondissement = _ARRONDISSEMENT.match(text)
    if (
        arrondissement
        and not (  # « Marseille 13 » names the département, « Marseille 13e » the arrondissement
            arrondissement.group("n") == _CITY_DEPARTEMENT[arrondissement.group("city").lower()]
            and not arrondissement.group("suffix")
            and not arrondissement.group("arr")
        )
    ):
        city, number = arrondissement.group("city").lower(), int(arrondissement.group("n"))
        suffix = "er" if number == 1 else "e"
        refs = index.by_name.get(f"{city} {number}{suffix} arrondissement")
        if refs:
            return _one(query, "name", refs[0], refs[0].label)
    departement = None
    dep_match = _DEPARTEMENT_AFTER.match(text)
    if dep_match:
        departement = dep_match.group("dep").upper()
        text = dep_match.group("name").strip(" ,;-(")
    return _by_name(query, text, index, departement=departement)


def _departement_of_postal(postal: str, index: CommuneIndex) -> str | None:
    """The département a postal code belongs to (its first communes', else its first two digits)."""
    refs = index.by_postal.get(postal)
    if refs:
        return refs[0].departement
    if postal.startswith("97"):
        return postal[:3]
    if postal.startswith("20"):
        return None  # Corsica: 2A or 2B, not told by the postal code
    return postal[:2]


def _name_among(name: str, candidates: list[CommuneRef], index: CommuneIndex) -> CommuneRef | None:
    key = name_key(name)
    if not key:
        return None
    for ref in candidates:
        own = name_key(ref.nom)
        if key in (own, _short(own)) or _short(key) == _short(own):
            return ref
    for ref in candidates:  # « Paris 75015 »: the arrondissement of that postal code, named by its commune
        parent = index.by_code.get(ref.parent) if ref.parent else None
        if parent is not None and name_key(parent.nom) == key:
            return ref
    best = min(candidates, key=lambda ref: _distance(key, name_key(ref.nom), 3))
    return best if _distance(key, name_key(best.nom), _budget(key)) <= _budget(key) else None


def _by_name(query: str, name: str, index: CommuneIndex, departement: str | None = None) -> CommuneResolution:
    key = name_key(name)
    if not key:
        return _unknown(query)
    refs = index.by_name.get(key) or index.by_short.get(key) or index.by_name.get(_short(key))
    kind: Kind = "name"
    if not refs:
        refs = _fuzzy(key, index)
        kind = "fuzzy"
    if departement:
        refs = [ref for ref in refs if ref.departement == departement]
    if not refs:
        return _unknown(query)
    if (
        kind == "fuzzy"
        and len(refs) > 1
        and refs[0].population >= FUZZY_DOMINANCE * max(refs[1].population, 1)
    ):
        # « Renes » is one letter from Rennes (230,000 people) and from Reynès, Rânes, René…: the person meant the
        # city, and the page says « au plus proche de « Renes » » with a link to change it. Close sizes stay a choice
        # (« Vanes »: Vannes or Vanves).
        refs = refs[:1]
    if len(refs) > 1:
        # A name shared by a commune and its own arrondissements cannot happen; homonyms in several départements
        # (and fuzzy ties) are the person's choice.
        return CommuneResolution(
            query=query,
            kind="ambiguous",
            choices=tuple(refs[:MAX_CHOICES]),
            understood_as=f"« {query} » : {len(refs)} communes possibles",
        )
    ref = refs[0]
    how = ref.label if kind == "name" else f"{ref.label}, au plus proche de « {query} »"
    return _one(query, kind, ref, how)


def _postal(query: str, postal: str, refs: list[CommuneRef]) -> CommuneResolution:
    if len(refs) == 1:
        return _one(query, "postal", refs[0], f"{refs[0].nom}, code postal {postal}")
    return CommuneResolution(
        query=query,
        kind="ambiguous",
        choices=tuple(refs[:MAX_CHOICES]),
        understood_as=f"code postal {postal} : {len(refs)} communes",
    )


def _one(query: str, kind: Kind, ref: CommuneRef, how: str) -> CommuneResolution:
    return CommuneResolution(query=query, kind=kind, commune=ref, understood_as=how)


def _unknown(query: str) -> CommuneResolution:
    return CommuneResolution(
        query=query, kind="unknown", understood_as=f"« {query} » : aucune commune trouvée"
    )


# --- Typos ---------------------------------------------------------------------------------------------------------
MIN_FUZZY_LETTERS = 4
FUZZY_CANDIDATES = 200
#: A typo equally close to several names is read as the most populated commune when it has at least this many times
#: the population of the next one; otherwise the communes are a choice.
FUZZY_DOMINANCE = 10
#: Names up to this many letters allow one edit, found through their one-letter deletions (a swap of two letters
#: breaks most trigrams of a short name: « Brset »).
SHORT_NAME = 7


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _budget(key: str) -> int:
    """Edits allowed for a name of this length: none under 4 letters, 1 up to 7, 2 beyond."""
    letters = len(key.replace(" ", ""))
    if letters < MIN_FUZZY_LETTERS:
        return 0
    return 1 if letters <= 7 else 2


def _fuzzy(key: str, index: CommuneIndex) -> list[CommuneRef]:
    """Communes whose name is within a small edit distance of `key`, the closest first (all ties kept)."""
    budget = _budget(key)
    if budget == 0:
        return []
    compact = key.replace(" ", "")
    if len(compact) <= SHORT_NAME:
        found = {name for variant in _deletions(compact) for name in index.deletions.get(variant, ())}
        return _closest(key, found, budget, index)
    grams = _trigrams(key)
    counts: Counter[str] = Counter()
    for gram in grams:
        postings = index.trigrams.get(gram)
        if postings:
            counts.update(postings)
    if not counts:
        return []
    # One edit changes at most 3 of the query's trigrams (4 for a swap of two letters).
    floor = max(1, len(grams) - 4 * budget)
    candidates = [name for name, shared in counts.most_common(FUZZY_CANDIDATES) if shared >= floor]
    return _closest(key, candidates, budget, index)


def _closest(key: str, candidates: Iterable[str], budget: int, index: CommuneIndex) -> list[CommuneRef]:
    scored = [(d, name) for name in candidates if (d := _distance(key, name, budget)) <= budget]
    if not scored:
        return []
    best = min(d for d, _ in scored)
    refs = [ref for d, name in sorted(scored) if d == best for ref in index.by_name[name]]
    return sorted(refs, key=_by_population)


def _distance(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), or bound + 1 as soon as it must exceed `bound`."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]


def resolve_many(values: Iterable[object], **kwargs: object) -> list[CommuneResolution]:
    """`resolve` for each value, with one index lookup (the bench and batch tools)."""
    index = get_index()
    return [resolve(value, index=index, **kwargs) for value in values]  # type: ignore[arg-type]
