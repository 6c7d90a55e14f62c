"""Which ROME fiches a free French text talks about: lexical matching of the text against every appellation.

Why lexical and in memory: the answer must come in well under 50 ms, work without any model, and reuse the
search normaliser so that what works in the search box (activity nouns, slang, gender and plural forms, missing
accents) works here too. The steps (docs/answer-metiers.md):

1. The index, built once per process (`warm`): every active appellation (both gender forms of its
   "Masculin / Féminin" label) and every fiche label becomes an entry, a tuple of normalised tokens; idf weights
   over the entries; an inverted index token → entries. It is rebuilt when the ROME referential changes (a key made
   of the last successful ROME import and the largest appellation and fiche codes, checked per call with one
   small primary-key query).
2. The text: words → normaliser tokens with their position; a word the index does not know, that is not a French
   word of the search index either, gets its one-edit corrections (search's `corrections`), or two edits for
   long words; cue words tell whether a phrase speaks of the wanted job ("devenir", "je veux être",
   "reconversion", "passer"…) or of the current one ("je suis", "depuis", "actuellement"…).
3. Each entry touched by a token is scored: matched idf × coverage of the entry's idf, × a contiguity bonus when
   the matched words follow each other in the text, × a boost when they sit in a "wanted job" phrase. A fiche
   takes its best entry, with a small bonus for the number of its entries that match too (a fiche whose many
   appellations share the word is the one the word means), and the weak evidence of its compétences and
   activities (only when the labels are not enough).
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.db import connection

from spro.answer.types import MetierMatch
from spro.search.details import split_gender
from spro.search.normaliser import STOP_WORDS, fold, fold_word, get_normaliser, split_words

MAX_WORDS = 600  # ~3,500 characters: a long story names the job long before; bounds the time
MAX_CORRECTIONS = 12  # unknown words corrected per text (each costs ~0.5 ms)
TYPO_MIN_LETTERS = 5
TYPO2_MIN_LETTERS = 9
TYPO_WEIGHT = 0.8
TYPO2_WEIGHT = 0.6
MIN_COVERAGE = 0.34  # at least a third of an entry's weight must be in the text
CONTIGUITY_BONUS = 0.5  # all the entry's matched words adjacent and in order: × 1.25
WANTED_BOOST = 1.35  # the entry's words are in a "wanted job" phrase
CURRENT_FACTOR = 0.95  # …or in a "current job" phrase (still listed, after the wanted one)
WANTED_TIER_MIN = 0.3  # a wanted-job fiche goes first if its score is at least 0.3 × the best
SUPPORT_BONUS = 0.06  # × (1 + 0.06 × log2(1 + other entries of the fiche with the same words))
EVIDENCE_WEIGHT = 0.15  # compétences/activities: at most this share of the score
FICHE_LABEL_FACTOR = 1.0
COVERAGE_POWER = 1.5  # score = matched idf × coverage ** COVERAGE_POWER

# Cue words, in folded form (`fold`), matched on the raw words before stop words are dropped.
_WANTED_CUES = (
    "devenir",
    "deviens",
    "reconversion",
    "reconvertir",
    "passer",
    "evoluer",
    "vers",
    "reve",
    "envie",
    "futur",
    "future",
    "apprendre",
    "formation",
    "former",
    "jveu",
    "jvoudrai",
)
_WANTED_PHRASES = (
    ("veux", "etre"),
    ("voudrais", "etre"),
    ("aimerais", "etre"),
    ("souhaite", "etre"),
    ("d", "etre"),
    ("veu", "etre"),
    ("veux", "faire"),
    ("voudrais", "faire"),
    ("aimerais", "faire"),
    ("metier", "de"),
)
_CURRENT_CUES = (
    "suis",
    "chui",
    "jsui",
    "jsuis",
    "suis",
    "actuellement",
    "depuis",
    "ancien",
    "ancienne",
    "etais",
    "etait",
    "ete",
    "travaille",
    "bosse",
    "poste",
    "actuel",
    "actuelle",
)
#: Function words the search normaliser keeps (they are harmless in a search box) but that, in a story, would
#: match appellations by accident ("auprès" of "Auxiliaire de vie sociale auprès d'enfants").
MATCH_STOP_WORDS = frozenset(
    {
        "aupres", "apres", "avant", "depuis", "pendant", "ici", "peu", "peut", "bien", "aussi", "deja", "encore",
        "toujours", "jamais", "alors", "puis", "enfin", "autre", "autres", "meme", "memes", "avoir", "fait", "plus",
    }
)  # fmt: skip
#: Words that head or qualify a few appellations ("Patron / Patronne à la pêche", "Premier / Première d'atelier",
#: "Deuxième assistant opérateur", "Apprenti / Apprentie paysagiste", "Ingénieur de contrats industriels") but that a
#: story uses for something else ("mon patron", "en deuxième année", "mon premier emploi", "je suis apprenti",
#: "mon ancien métier", "mon contrat"): an appellation matched by such words only is not a métier the person named.
STORY_WORDS = frozenset(
    {
        "patron", "patronne", "premier", "premiere", "deuxieme", "second", "seconde", "troisieme", "apprenti",
        "apprentie", "ancien", "ancienne", "nouveau", "nouvelle", "jeune", "petit", "petite", "grand", "grande",
        "contrat", "contrats",
    }
)  # fmt: skip
_CLAUSE = re.compile(r"[.;!?\n]+|\bmais\b")


@dataclass
class _Entry:
    label: str  # the appellation's label as in ROME (or the fiche's)
    code_rome: str
    tokens: tuple[str, ...]  # unique, in label order
    total: float  # sum of the tokens' idf
    is_fiche: bool


@dataclass
class _Index:
    key: tuple
    entries: list[_Entry]
    postings: dict[str, list[int]]
    posting_arrays: dict[str, np.ndarray]
    story_tokens: frozenset[str]  # STORY_WORDS as index tokens
    totals: np.ndarray  # each entry's total idf
    idf: dict[str, float]
    df: dict[str, int]
    fiche_labels: dict[str, str]
    parents: dict[str, str]
    evidence: dict[str, list[tuple[str, float]]]  # token → [(code_rome, weight)]
    known_words: frozenset[str]  # tokens of the search index: real words, not typos
    deletes: dict[str, list[tuple[str, str]]]  # deletion keys → (written form, index token), for typos


_lock = threading.Lock()
_index: _Index | None = None


# --- Index -------------------------------------------------------------------------------------------------------


def _referential_key() -> tuple:
    """What changes when the ROME referential changes: the last successful ROME import and the largest codes
    (primary-key lookups only: ~0.2 ms, where COUNT(*) took 3 ms on PostgreSQL). An edit that is not an import
    and adds no new largest code is seen at the next import or restart."""
    appellation = apps.get_model("rome", "Appellation")._meta.db_table
    fiche = apps.get_model("rome", "FicheMetier")._meta.db_table
    run = apps.get_model("referentials", "ImportRun")._meta.db_table
    with connection.cursor() as cursor:
        # Table names come from the models, never from input.
        sql = (
            f"SELECT (SELECT MAX(code_ogr) FROM {appellation}), (SELECT MAX(code_rome) FROM {fiche}),"  # noqa: S608
            f" (SELECT MAX(id) FROM {run} WHERE dataset = 'rome' AND status = 'success')"
        )
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _label_forms(label: str) -> list[tuple[str, ...]]:
    """The token tuples of a label's masculine and feminine forms (one when they fold to the same tokens)."""
    normaliser = get_normaliser()
    forms: list[tuple[str, ...]] = []
    for form in dict.fromkeys(split_gender(label)):
        toks = tuple(dict.fromkeys(t for t in normaliser.tokens(form) if t not in MATCH_STOP_WORDS))
        if toks and toks not in forms:
            forms.append(toks)
    return forms


def _deletes(word: str, depth: int = 2) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _build(key: tuple) -> _Index:
    Appellation = apps.get_model("rome", "Appellation")
    FicheMetier = apps.get_model("rome", "FicheMetier")
    fiches = {
        code: (libelle, parent or code)
        for code, libelle, parent in FicheMetier.objects.filter(is_active=True).values_list(
            "code_rome", "libelle", "parent_id"
        )
    }
    raw: list[tuple[str, str, tuple[str, ...], bool]] = []
    for code, (label, _parent) in sorted(fiches.items()):
        for toks in _label_forms(label):
            raw.append((label, code, toks, True))
    rows = Appellation.objects.filter(is_active=True, fiche__is_active=True).values_list(
        "libelle_long", "fiche_id"
    )
    for label, code in rows.order_by("code_ogr"):
        for toks in _label_forms(label):
            raw.append((label, code, toks, False))
    # Identical token tuples of the same fiche count once (the fiche label first: it names the fiche best).
    seen: set[tuple[str, tuple[str, ...]]] = set()
    unique = []
    for label, code, toks, is_fiche in raw:
        if (code, toks) not in seen:
            seen.add((code, toks))
            unique.append((label, code, toks, is_fiche))
    # idf over FICHES, not entries: a word shared by the 40 appellations of one fiche ("électricien") names it
    # well, a word spread over 30 fiches ("apprenti", "responsable") does not.
    fiches_of: dict[str, set[str]] = defaultdict(set)
    df: dict[str, int] = defaultdict(int)
    for _label, code, toks, _f in unique:
        for t in toks:
            df[t] += 1
            fiches_of[t].add(code)
    n = len(fiches)
    idf = {t: math.log(1.0 + n / len(codes)) for t, codes in fiches_of.items()}
    entries: list[_Entry] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for label, code, toks, is_fiche in unique:
        for t in toks:
            postings[t].append(len(entries))
        entries.append(_Entry(label, code, toks, sum(idf[t] for t in toks), is_fiche))
    # Typo targets: the tokens AND the written words of the labels (folded, before the gender rules), each
    # mapped to its token, so that "redactice" (one edit from "redactrice") reaches "redacteur".
    surfaces: dict[str, str] = {t: t for t in idf}
    normaliser = get_normaliser()
    for label, _code, _toks, _f in unique:
        for word in split_words(label):
            toks = normaliser.word_tokens(word)
            if len(toks) == 1 and toks[0] in idf:
                surfaces.setdefault(word, toks[0])
    deletes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for surface, t in surfaces.items():
        if len(surface) >= TYPO_MIN_LETTERS - 1 and surface.isalpha():
            for d in _deletes(surface, 2 if len(surface) >= TYPO2_MIN_LETTERS - 1 else 1):
                deletes[d].append((surface, t))
    return _Index(
        key=key,
        entries=entries,
        postings=dict(postings),
        posting_arrays={t: np.array(ids, dtype=np.int64) for t, ids in postings.items()},
        story_tokens=frozenset(t for word in STORY_WORDS for t in normaliser.word_tokens(word)),
        totals=np.array([entry.total for entry in entries]),
        idf=idf,
        df=dict(df),
        fiche_labels={code: label for code, (label, _p) in fiches.items()},
        parents={code: parent for code, (_l, parent) in fiches.items()},
        evidence=_evidence(fiches),
        known_words=_known_words(),
        deletes=dict(deletes),
    )


def _evidence(fiches: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, float]]]:
    """Weak evidence: the words of each fiche's core compétences and activities, tf-idf weighted per fiche."""
    FicheCompetence = apps.get_model("rome", "FicheCompetence")
    normaliser = get_normaliser()
    words: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = FicheCompetence.objects.filter(fiche__is_active=True).values_list(
        "fiche_id", "competence__libelle"
    )
    for code, label in rows.iterator(chunk_size=5000):
        for t in set(normaliser.tokens(label)):
            words[code][t] += 1
    df: dict[str, int] = defaultdict(int)
    for counts in words.values():
        for t in counts:
            df[t] += 1
    n = max(len(words), 1)
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for code, counts in words.items():
        if code not in fiches:
            continue
        norm = math.sqrt(sum(c for c in counts.values())) or 1.0
        for t, c in counts.items():
            # A word in most fiches says nothing; one in a handful of fiches, many times, says a lot.
            if df[t] <= n // 20:
                out[t].append((code, c * math.log(n / df[t]) / norm))
    return dict(out)


def _known_words() -> frozenset[str]:
    """Real French words, not to be corrected as typos: the search index's vocabulary, and the words of the ROME
    texts themselves (fiche definitions, access, compétence labels), which are there even before any index build."""
    SearchVocabulary = apps.get_model("search", "SearchVocabulary")
    FicheMetier = apps.get_model("rome", "FicheMetier")
    Competence = apps.get_model("rome", "Competence")
    words = set(SearchVocabulary.objects.values_list("token", flat=True))
    normaliser = get_normaliser()
    texts = FicheMetier.objects.values_list("definition", "acces_metier")
    for definition, acces in texts.iterator(chunk_size=500):
        words.update(normaliser.tokens(f"{definition} {acces}"))
    for label in Competence.objects.values_list("libelle", flat=True).iterator(chunk_size=5000):
        words.update(normaliser.tokens(label))
    return frozenset(words)


def _get_index() -> _Index:
    """The index of the current referential (its key is checked at every call: one small query, so that a test
    or a worker never answers from a referential that changed)."""
    global _index
    key = _referential_key()
    current = _index
    if current is not None and current.key == key:
        return current
    with _lock:
        if _index is None or _index.key != key:
            _index = _build(key)
            _corrections.cache_clear()
        return _index


def warm() -> None:
    """Build (or check) the in-memory index now, so that the first request does not pay for it (~2 s)."""
    _get_index()


# --- Text --------------------------------------------------------------------------------------------------------


@dataclass
class _Token:
    token: str
    weight: float
    pos: int
    zone: int  # +1 wanted job, -1 current job, 0 unknown


@functools.lru_cache(maxsize=20_000)
def _corrections(word: str) -> tuple[tuple[str, float], ...]:
    """Index tokens close to an unknown word: one edit, or two for words of TYPO2_MIN_LETTERS letters or more.

    A deletion index (symmetric delete): both the written word and its folded form (gender/plural rules) are
    compared with the index tokens and the labels' written words, so "plombié" reaches "plombier", "boulangé"
    "boulanger" and "redactice" "redacteur" (by "redactrice"). The closest
    tokens first, then the most frequent. (search's `corrections` runs the normaliser on every edit: ~100 ms for
    a cold word, too slow here.)
    """
    index = _index
    if index is None:
        return ()
    limit = 2 if len(word) >= TYPO2_MIN_LETTERS else 1
    found: dict[str, int] = {}
    for variant in {word, fold_word(word)}:
        for d in _deletes(variant, limit):
            for surface, t in index.deletes.get(d, ()):
                dist = _damerau(variant, surface)
                if dist <= limit and dist < found.get(t, 9):
                    found[t] = dist
    if not found:
        return ()
    closest = min(found.values())
    best = sorted((t for t, d in found.items() if d == closest), key=lambda t: (-index.df[t], t))[:3]
    weight = TYPO_WEIGHT if closest <= 1 else TYPO2_WEIGHT
    return tuple((t, weight) for t in best)


def _damerau(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent transpositions count one)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _zones(words: list[str]) -> list[int]:
    """Per word: +1 inside a phrase about the wanted job, -1 about the current one, 0 otherwise."""
    zones = [0] * len(words)
    zone = 0
    for i, w in enumerate(words):
        if w == "\x00":  # clause boundary
            zone = 0
            continue
        if w in _WANTED_CUES or (i and (words[i - 1], w) in _WANTED_PHRASES):
            zone = 1
        elif w in _CURRENT_CUES:
            zone = -1
        zones[i] = zone
    return zones


def _text_tokens(text: str, index: _Index) -> list[_Token]:
    normaliser = get_normaliser()
    words: list[str] = []
    for clause in _CLAUSE.split(fold(text)):
        words.extend(split_words(clause))
        words.append("\x00")
        if len(words) > MAX_WORDS:
            break
    words = words[:MAX_WORDS]
    zones = _zones(words)
    out: list[_Token] = []
    folded = [fold_word(w) for w in words]
    corrected = 0
    pos = 0
    i = 0
    while i < len(words):
        word = words[i]
        if word == "\x00":
            pos += 2  # no contiguity across clauses
            i += 1
            continue
        key = normaliser.phrase_at(folded, i) if folded[i] in normaliser.phrase_starts else None
        if key:
            expansion = [fold_word(w) for w in normaliser.multi[key] if w not in STOP_WORDS]
            # The words written are the evidence: an expansion longer than them shares their weight.
            weight = min(1.0, len(key) / max(1, len(expansion)))
            for t in expansion:
                if t in index.idf:
                    out.append(_Token(t, weight, pos, zones[i]))
                    pos += 1
            i += len(key)
            continue
        i += 1
        toks = [t for t in normaliser.word_tokens(word) if t not in MATCH_STOP_WORDS]
        if not toks:
            pos += 1  # a stop word: still a gap between two words
            continue
        weight = 1.0 / len(toks)  # "ifsi" → 4 tokens: still one written word of evidence
        for t in toks:
            if t in index.idf:
                out.append(_Token(t, weight, pos, zones[i - 1]))
            elif (
                len(word) >= TYPO_MIN_LETTERS
                and word.isalpha()
                and t not in index.known_words
                and corrected < MAX_CORRECTIONS
            ):
                corrected += 1
                for fix, fix_weight in _corrections(word):
                    out.append(_Token(fix, fix_weight * weight, pos, zones[i - 1]))
            pos += 1
    return out


# --- Matching ----------------------------------------------------------------------------------------------------


def match_metiers(text: str, *, limit: int = 5, model: str | None = None) -> list[MetierMatch]:
    """The ROME fiches the text talks about, best first, with the matched appellation and a score in 0..1.

    `model` names an embedding re-ranker (spro.answer.embeddings); None or "none" is the lexical matcher alone.
    Never raises on odd text: garbage, another language or an empty string give [].
    """
    if not isinstance(text, str) or not text.strip() or limit <= 0:
        return []
    index = _get_index()
    if model and model != "none":
        from spro.answer import embeddings

        pool = _lexical(text, index, max(limit, embeddings.RERANK_POOL))
        return embeddings.rerank(text, pool, model=model, limit=limit)
    return _lexical(text, index, limit)


def _lexical(text: str, index: _Index, limit: int) -> list[MetierMatch]:
    tokens = _text_tokens(text, index)
    if not tokens:
        return []
    # Each token once, with its best weight, its positions and its zone (wanted wins over current).
    best: dict[str, float] = {}
    positions: dict[str, list[int]] = defaultdict(list)
    zone: dict[str, int] = {}
    for tok in tokens:
        best[tok.token] = max(best.get(tok.token, 0.0), tok.weight)
        positions[tok.token].append(tok.pos)
        zone[tok.token] = max(zone.get(tok.token, -1), tok.zone) if tok.zone else zone.get(tok.token, 0)
    # Accumulated over every entry at once (numpy): a long story touches thousands of entries.
    weighted = np.zeros(len(index.entries))
    raw = np.zeros(len(index.entries))
    for t, w in best.items():
        ids = index.posting_arrays[t]
        weighted[ids] += index.idf[t] * w  # each entry once per token: no repeated index
        raw[ids] += index.idf[t]
    kept = np.nonzero(weighted >= MIN_COVERAGE * index.totals)[0]
    matched = {int(e): float(weighted[e]) for e in kept}
    m_raw = {int(e): float(raw[e]) for e in kept}  # unweighted idf of the matched words, for the zone shares
    support: dict[tuple[str, frozenset[str]], int] = defaultdict(int)
    fiche_label_words: set[tuple[str, frozenset[str]]] = set()
    candidates: list[tuple[float, int, frozenset[str], float, bool]] = []
    for e, m in matched.items():
        entry = index.entries[e]
        coverage = m / entry.total
        if coverage < MIN_COVERAGE:
            continue
        words = frozenset(t for t in entry.tokens if t in best)
        if words <= index.story_tokens:
            continue  # "mon patron", "en deuxième année": not a métier named
        score = m * coverage**COVERAGE_POWER
        if len(words) > 1:
            score *= 1 + CONTIGUITY_BONUS * _contiguity(entry.tokens, positions)
        # A wanted job: most of the matched words are in a "wanted" phrase, the label's head word (the job noun:
        # "infirmier" in "Infirmier en soins généraux") among them.
        head = entry.tokens[0]
        wanted = (
            head in words
            and zone[head] == 1
            and sum(index.idf[t] for t in words if zone[t] == 1) * 2 >= m_raw[e]
        )
        if wanted:
            score *= WANTED_BOOST
        elif sum(index.idf[t] for t in words if zone[t] == -1) * 2 >= m_raw[e]:
            score *= CURRENT_FACTOR
        candidates.append((score, e, words, coverage, wanted))
        support[(entry.code_rome, words)] += 1
        if entry.is_fiche:
            fiche_label_words.add((entry.code_rome, words))
    scored: dict[str, _Scored] = {}
    for score, e, words, coverage, wanted in candidates:
        entry = index.entries[e]
        total = score * (1 + SUPPORT_BONUS * math.log2(support[(entry.code_rome, words)]))
        previous = scored.get(entry.code_rome)
        if previous is None or total > previous.score or (total == previous.score and entry.is_fiche):
            # Shown: the fiche label when it says the same words as the best appellation (it names the fiche).
            label = (
                index.fiche_labels[entry.code_rome]
                if (entry.code_rome, words) in fiche_label_words
                else entry.label
            )
            scored[entry.code_rome] = _Scored(total, label, coverage, wanted)
    if not scored:
        return []
    _add_evidence(scored, best, index)
    top = max(s.score for s in scored.values())
    # The wanted job first: a fiche named in a "devenir / je veux être…" phrase, if not far below the best.
    ranked = sorted(
        scored.items(),
        key=lambda kv: (not (kv[1].wanted and kv[1].score >= WANTED_TIER_MIN * top), -kv[1].score, kv[0]),
    )[:limit]
    first = ranked[0][1]
    out = []
    previous_value = 1.0
    for code, item in ranked:
        # 0..1: how much of its best appellation the text says, for the first; below it, by relative score
        # (never above the one before: the list is best first).
        value = min(previous_value, first.coverage * min(1.0, item.score / first.score) ** 0.5)
        previous_value = value
        out.append(MetierMatch(code, index.fiche_labels.get(code, item.label), item.label, round(value, 4)))
    return out


@dataclass
class _Scored:
    score: float
    label: str  # the appellation shown
    coverage: float
    wanted: bool


def _contiguity(entry_tokens: tuple[str, ...], positions: dict[str, list[int]]) -> float:
    """Share of the entry's consecutive word pairs that are adjacent and in order in the text."""
    present = [t for t in entry_tokens if t in positions]
    if len(present) < 2:
        return 0.0
    pairs = 0
    for a, b in zip(present, present[1:], strict=False):
        pb = set(positions[b])
        if any(p + 1 in pb or p + 2 in pb for p in positions[a]):
            pairs += 1
    return pairs / (len(present) - 1)


def _add_evidence(scored: dict[str, _Scored], best: dict[str, float], index: _Index) -> None:
    """Compétence words shared with the text add at most EVIDENCE_WEIGHT of the top score to a matched fiche."""
    top = max(s.score for s in scored.values())
    extra: dict[str, float] = defaultdict(float)
    for t in best:
        for code, weight in index.evidence.get(t, ()):
            if code in scored:
                extra[code] += weight
    if not extra:
        return
    most = max(extra.values())
    for code, value in extra.items():
        scored[code].score += EVIDENCE_WEIGHT * top * value / most


def parent_code(code_rome: str) -> str:
    """The parent fiche's code (the code itself for a parent fiche): evaluations compare on it."""
    index = _get_index()
    return index.parents.get(code_rome, code_rome)
