"""`search()`: the one search of the platform (pages, API and CLI all call it). Ranking: docs/search.md.

Steps: validate → normalise the query into token groups (synonyms, gender/plural folding, one-edit typo
correction against the index vocabulary) → the backend returns the ids of every matching document (AND of the
groups, falling back to OR when AND finds nothing) → filters, exact radius test and facet counts on the
in-memory snapshot of the index (spro/search/snapshot.py) → every match gets an estimate of the portable score
(title words known exactly, the text assumed to hold each word once), the best CANDIDATES (varied titles first)
are re-scored exactly by the portable formula on their stored text (so SQLite and PostgreSQL give the same
order) → neutral tie-break on the title, then the id.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.apps import apps
from django.db import connection

from spro.core.cache import KeyedCache
from spro.core.normaliser import STOP_WORDS, fold_word, get_normaliser, split_words
from spro.search import snapshot as snapshots
from spro.search.backends import get_backend
from spro.search.models import IndexBuild, SearchDocument, SearchVocabulary

# The parameters, their vocabularies and limits live in spro/search/params.py (import them from there).
from spro.search.params import (
    DEFAULT_RAYON_KM,
    MODALITES,
    NIVEAUX,
    PUBLICS,
    TYPES,
    InvalidQuery,
    SearchParams,
    validate,
)
from spro.search.snapshot import Filters, Snapshot

MAX_GROUPS = 12
TYPO_MIN_LETTERS = 5
CANDIDATES = 100  # best matches by estimated score that the portable formula re-scores exactly
RELAX_MAX_COMBINATIONS = 10  # AND queries per level when no document holds every word
PRESELECT = 4000  # best matches by raw estimate among which varied titles are preferred for the candidates

# Ranking constants (docs/search.md).
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
TYPO_WEIGHT = 0.8
EXACT_TITLE_BONUS = 2.0  # the whole query is the title or one appellation
TITLE_COVER_BONUS = 1.3  # every query group is in the title
DUPLICATE_DECAY = 0.5  # k-th repeat of the same title: score × 0.5 ** k


@dataclass
class Hit:
    type: str
    code: str
    titre: str
    url: str
    score: float
    sous_titre: str = ""
    distance_km: float | None = None


@dataclass
class SearchResponse:
    q: str
    total: int
    resultats: list[Hit]
    page: int
    par_page: int
    facettes: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    suggestion: str | None = None

    def as_dict(self) -> dict:
        """The search-result JSON (docs/contracts.md#search-result), plus page, par_page, facettes and suggestion."""
        return {
            "q": self.q,
            "total": self.total,
            "resultats": [asdict(hit) for hit in self.resultats],
            "page": self.page,
            "par_page": self.par_page,
            "facettes": {
                name: [{"valeur": v, "libelle": lib, "nombre": n} for v, lib, n in values]
                for name, values in self.facettes.items()
            },
            "suggestion": self.suggestion,
        }


# --- Vocabulary (kept per process in spro.core.cache, reloaded when a new index build appears) ---------------------


@dataclass
class _Vocabulary:
    build_id: tuple | None
    documents: int
    df: dict[str, int]
    avg_titre: float
    avg_texte: float


def _index_build_stamp(_key: str) -> tuple | None:
    """The current index build, (id, built_at): one small raw query, run on every search. The id alone is not
    enough: SQLite may reuse it after a rolled-back rebuild."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, built_at FROM search_indexbuild ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0], str(row[1])) if row else None


def _load_vocabulary(_key: str, build_id: tuple | None) -> _Vocabulary:
    build = (
        IndexBuild.objects.filter(id=build_id[0]).values("documents", "counts").first() if build_id else None
    )
    df = dict(SearchVocabulary.objects.values_list("token", "df"))
    counts = (build or {}).get("counts") or {}
    return _Vocabulary(
        build_id,
        (build or {}).get("documents", 0) or 0,
        df,
        float(counts.get("avg_titre_len") or 5.0),
        float(counts.get("avg_texte_len") or 50.0),
    )


#: one entry, "index": the vocabulary of the current index build, loaded again when a new build appears
_vocabularies: KeyedCache[str, _Vocabulary] = KeyedCache(_load_vocabulary, _index_build_stamp)


def vocabulary() -> _Vocabulary:
    """The vocabulary of the current index build (checked at every search, reloaded when a new build appears)."""
    return _vocabularies.get("index")


# --- Query parsing -----------------------------------------------------------------------------------------------


@dataclass
class Group:
    """One query word (or synonym phrase) with its alternative tokens: {token: weight}."""

    surface: str
    tokens: dict[str, float]
    known: bool


def edits1(word: str) -> set[str]:
    """Damerau one-edit variants: deletion, transposition, substitution, insertion (letters a-z)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return (deletes | transposes | replaces | inserts) - {word}


def corrections(word: str, vocab: dict[str, int]) -> dict[str, float]:
    """Index tokens one edit away from the written word (the edit is applied before the normaliser, so a typo
    in "infirmiare" still reaches "infirmier"), the most frequent first."""
    normaliser = get_normaliser()
    found: dict[str, int] = {}
    for candidate in edits1(word):
        toks = normaliser.word_tokens(candidate)
        if len(toks) == 1 and toks[0] in vocab:
            found[toks[0]] = vocab[toks[0]]
    best = sorted(found, key=lambda t: (-found[t], t))[:5]
    return {t: TYPO_WEIGHT for t in best}


def parse_query(q: str, vocab: dict[str, int]) -> list[Group]:
    normaliser = get_normaliser()
    words = split_words(q)
    groups: list[Group] = []
    i = 0
    folded = [fold_word(w) for w in words]
    while i < len(words) and len(groups) < MAX_GROUPS:
        key = normaliser.phrase_at(folded, i) if folded[i] in normaliser.phrase_starts else None
        if key:
            for w in normaliser.multi[key]:
                if w not in STOP_WORDS:
                    token = fold_word(w)
                    groups.append(Group(" ".join(words[i : i + len(key)]), {token: 1.0}, token in vocab))
            i += len(key)
        else:
            word = words[i]
            i += 1
            for token in normaliser.word_tokens(word):
                if token in vocab:
                    groups.append(Group(word, {token: 1.0}, True))
                elif len(word) >= TYPO_MIN_LETTERS and word.isalpha():
                    fixes = corrections(word, vocab)
                    groups.append(Group(word, fixes or {token: 1.0}, bool(fixes)))
                else:
                    groups.append(Group(word, {token: 1.0}, False))
    # The same token twice ("infirmier infirmière") counts once.
    unique: list[Group] = []
    seen: set[tuple[str, ...]] = set()
    for group in groups:
        key = tuple(sorted(group.tokens))
        if key not in seen:
            seen.add(key)
            unique.append(group)
    return unique


# --- Geography ---------------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / 111.0
    dlon = km / (111.320 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _commune_centre(code: str) -> tuple[float, float]:
    Commune = apps.get_model("geo", "Commune")
    row = Commune.objects.filter(code_insee=code).values_list("latitude", "longitude").first()
    if row is None:
        raise InvalidQuery(f"commune inconnue : {code}", "commune-inconnue")
    if row[0] is None or row[1] is None:
        raise InvalidQuery(f"commune sans coordonnées : {code}", "commune-without-coordinates")
    return row


# --- Scoring -----------------------------------------------------------------------------------------------------


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def portable_score(doc: dict, groups: list[Group], vocab: _Vocabulary, qnorm: str) -> float:
    """BM25F-like score computed in Python from the stored normalised text: identical on every backend."""
    titre = f" {doc['titre_norm']} "
    texte = f" {doc['texte_norm']} "
    lt = max(1, titre.count(" ") - 1)
    lx = max(1, texte.count(" ") - 1)
    norm_t = 1 - B + B * lt / vocab.avg_titre
    norm_x = 1 - B + B * lx / vocab.avg_texte
    n = max(vocab.documents, 1)
    score = 0.0
    matched = 0
    in_title = 0
    for group in groups:
        best = 0.0
        best_in_title = False
        for token, weight in group.tokens.items():
            needle = f" {token} "
            tf_t = titre.count(needle)
            tf_x = texte.count(needle)
            if not tf_t and not tf_x:
                continue
            tfw = TITLE_WEIGHT * tf_t / norm_t + tf_x / norm_x
            value = weight * _idf(vocab.df.get(token, 1), n) * tfw * (K1 + 1) / (tfw + K1)
            if value > best:
                best, best_in_title = value, tf_t > 0
        if best:
            matched += 1
            in_title += best_in_title
        score += best
    if groups:
        score *= (matched / len(groups)) ** 2
        if qnorm and f"|{qnorm}|" in doc["phrases_norm"]:
            score *= EXACT_TITLE_BONUS
        elif in_title == len(groups):
            score *= TITLE_COVER_BONUS
    return round(score, 6)


def _diversify(scored: list[tuple[float, dict]]) -> list[tuple[float, dict]]:
    """The same title many times (one BTS at 300 lycées) must not fill the first page: the k-th document with
    an already-seen normalised title and type has its score multiplied by DUPLICATE_DECAY ** k."""
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for score, doc in scored:
        key = (doc["type"], doc["titre_norm"])
        out.append((round(score * DUPLICATE_DECAY ** seen[key], 6), doc))
        seen[key] += 1
    out.sort(key=lambda sd: (-sd[0], sd[1]["titre"].lower(), sd[1]["code"]))
    return out


# --- Facets ------------------------------------------------------------------------------------------------------


def _load_labels(kind: str, _stamp: None) -> dict[str, str]:
    if kind == "domaine":
        rows = apps.get_model("rome", "GrandDomaine").objects.values_list("code", "libelle")
    elif kind == "region":
        rows = apps.get_model("geo", "Region").objects.values_list("code", "nom")
    else:
        rows = apps.get_model("geo", "Departement").objects.values_list("code", "nom")
    return dict(rows)


#: facet kind (domaine, region, departement) → {code: label}, built once per process (tests clear it)
_labels_cache: KeyedCache[str, dict[str, str]] = KeyedCache(_load_labels)


def _labels(kind: str) -> dict[str, str]:
    return _labels_cache.get(kind)


def _facets(counts: dict[str, dict[str, int]]) -> dict[str, list[tuple[str, str, int]]]:
    """Labelled facets from the snapshot's counts, most frequent first (then by value)."""
    tags = counts.get("tags", {})
    counters: dict[str, dict[str, int]] = {
        "type": counts.get("type", {}),
        "niveau": counts.get("niveau", {}),
        "modalite": {t[4:]: n for t, n in tags.items() if t.startswith("mod:")},
        "public": {t[4:]: n for t, n in tags.items() if t.startswith("pub:") and t[4:] in PUBLICS},
        "domaine": counts.get("domaine", {}),
        "region": counts.get("region", {}),
        "departement": counts.get("departement", {}),
    }
    static = {"type": TYPES, "niveau": NIVEAUX, "modalite": MODALITES, "public": PUBLICS}
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name, counter in counters.items():
        if not counter:
            continue
        labels = static.get(name) or _labels(name)
        values = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if name == "departement":
            values = values[:30]
        out[name] = [(value, labels.get(value, value), count) for value, count in values]
    return out


# --- Preselection ------------------------------------------------------------------------------------------------


def estimate_scores(
    snap: Snapshot,
    ids: np.ndarray,
    groups: list[Group],
    vocab: _Vocabulary,
    qnorm: str,
    present: list[np.ndarray | None],
) -> np.ndarray:
    """The portable score of every match, estimated without reading its text (vectorised).

    Exact for the title (the snapshot holds every title's tokens), the length norms, the idf, the coverage and
    the exact-title bonus; the text is assumed to hold the group's main word once when the title does not.
    `present[i]` says which matches hold group i (None: all of them, the AND case).
    """
    title_sat, text_sat = snap.saturations(K1, B, TITLE_WEIGHT, vocab.avg_titre, vocab.avg_texte)
    title_sat, text_sat = title_sat[ids], text_sat[ids]
    n = max(vocab.documents, 1)
    score = np.zeros(ids.size)
    matched = np.zeros(ids.size)
    in_title = np.zeros(ids.size)
    for group, has in zip(groups, present, strict=True):
        if not group.known:
            continue
        main, weight = next(iter(group.tokens.items()))
        best = weight * _idf(vocab.df.get(main, 1), n) * text_sat  # the main word once in the text
        best_in_title = np.zeros(ids.size, dtype=bool)
        for token, weight in group.tokens.items():
            title = snap.in_title(token, ids)
            if not title.any():
                continue
            value = np.where(title, weight * _idf(vocab.df.get(token, 1), n) * title_sat, 0.0)
            better = value > best
            best = np.where(better, value, best)
            best_in_title |= better
        if has is not None:
            best = np.where(has, best, 0.0)
            best_in_title &= has
        matched += best > 0
        in_title += best_in_title
        score += best
    if groups:
        score *= (matched / len(groups)) ** 2
        bonus = np.where(in_title == len(groups), TITLE_COVER_BONUS, 1.0)
        if qnorm:
            bonus = np.where(snap.with_phrase(qnorm, ids), EXACT_TITLE_BONUS, bonus)
        score *= bonus
    return score


_DOC_COLUMNS = (
    "id",
    "type",
    "code",
    "titre",
    "sous_titre",
    "url",
    "titre_norm",
    "texte_norm",
    "phrases_norm",
)


def _documents(ids: list[int]) -> dict[int, dict]:
    """The stored fields of the candidates (one raw query: the ORM's overhead showed on every request)."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_DOC_COLUMNS)} FROM search_searchdocument "  # noqa: S608 - constant columns
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        return {row[0]: dict(zip(_DOC_COLUMNS, row, strict=True)) for row in cursor.fetchall()}


def _relaxed_matches(
    snap: Snapshot, backend, groups: list[Group], vocab: _Vocabulary, admissible
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """When no document (passing the filters) holds every word: those holding as many of them as any does.

    Tries every combination of all the words but one, then all but two…, each an AND query (selective, so
    cheap); the first level that finds admissible documents is the answer. A level with more than
    RELAX_MAX_COMBINATIONS combinations is skipped; the last level (each word alone) is the plain OR. A
    document's bits are the union of the combinations it matched, i.e. exactly the words it holds (every
    subset of them of the level's size is a combination). Returns the ids and, per query group, which of them
    hold it.
    """
    known = [i for i, g in enumerate(groups) if g.known]
    ids = np.zeros(0, dtype=np.int64)
    bits = np.zeros(snap.size, dtype=np.uint16)
    for size in range(len(known) - 1, 0, -1):
        combos = list(itertools.combinations(known, size))
        if size > 1 and len(combos) > RELAX_MAX_COMBINATIONS:
            continue
        bits[:] = 0
        for combo in combos:
            found = snap.known(
                backend.match_ids([list(groups[i].tokens) for i in combo], "and", vocab.df, vocab.documents)
            )
            bits[found] |= np.uint16(sum(1 << i for i in combo))
        ids = admissible(np.flatnonzero(bits).astype(np.int64))
        if ids.size:
            break
    held = bits[ids]
    return ids, [(held & np.uint16(1 << i)) != 0 for i in range(len(groups))]


def preselect(
    snap: Snapshot, ids: np.ndarray, estimate: np.ndarray, count: int, distances: np.ndarray | None = None
) -> np.ndarray:
    """The `count` best ids by estimate, with the same decay as _diversify on repeated titles, so that one
    title offered in 300 places does not fill the candidates.

    With `distances` (a commune was given), the places of one title share its best estimate and the nearest
    comes first, as in `_nearest_first`."""
    if distances is not None and ids.size:
        estimate = _title_best(snap.title_key[ids], estimate)
    if ids.size > PRESELECT:
        top = np.argpartition(-estimate, PRESELECT - 1)[:PRESELECT]
        ids, estimate = ids[top], estimate[top]
        distances = distances[top] if distances is not None else None
    order = np.lexsort((ids, -estimate) if distances is None else (ids, np.round(distances, 1), -estimate))
    ids, estimate = ids[order], estimate[order]
    keys = snap.title_key[ids]
    # Rank of each id among the ids with the same title key (0 for the best of each title).
    by_key = np.lexsort((np.arange(ids.size), keys))
    sorted_keys = keys[by_key]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, ids.size]))
    repeat = np.empty(ids.size, dtype=np.int64)
    repeat[by_key] = np.arange(ids.size) - run_start
    decayed = estimate * DUPLICATE_DECAY**repeat
    best = np.lexsort((ids, -decayed))[:count]
    return ids[best]


def _title_best(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each value replaced by the best value among the entries with the same title key."""
    unique, inverse = np.unique(keys, return_inverse=True)
    best = np.full(unique.size, -np.inf)
    np.maximum.at(best, inverse, values)
    return best[inverse]


def _nearest_first(
    scored: list[tuple[float, dict]], distance_of: dict[int, float]
) -> list[tuple[float, dict]]:
    """When a commune is given: the places of one title (« D.E Infirmier » in 400 IFSI) differ in score only by
    the length of their text (the establishment's name), which says nothing of relevance. Each place of a title
    gets the title's scores in order of distance (the nearest the best), then _diversify's decay; equal scores
    are ordered by distance. Without this, « infirmière » near Rennes within 200 km gave Quimper first."""
    groups: dict[tuple[str, str], list[tuple[float, dict]]] = {}
    for score, doc in scored:
        groups.setdefault((doc["type"], doc["titre_norm"]), []).append((score, doc))
    out: list[tuple[float, dict]] = []
    for members in groups.values():
        scores = sorted((score for score, _ in members), reverse=True)
        docs = sorted(
            (doc for _, doc in members),
            key=lambda d: (round(distance_of.get(d["id"], math.inf), 1), d["code"]),
        )
        out.extend(
            (round(score * DUPLICATE_DECAY**k, 6), doc)
            for k, (score, doc) in enumerate(zip(scores, docs, strict=True))
        )
    out.sort(
        key=lambda sd: (
            -sd[0],
            round(distance_of.get(sd[1]["id"], math.inf), 1),
            sd[1]["titre"].lower(),
            sd[1]["code"],
        )
    )
    return out


# --- Suggestion --------------------------------------------------------------------------------------------------


def suggest(q: str, vocab: dict[str, int], snap: Snapshot) -> str | None:
    """ "Did you mean": each unknown word replaced by the closest title word of the index (difflib ratio ≥ 0.7,
    ties broken by document frequency). Title words only: they are what people look for, and far fewer."""
    normaliser = get_normaliser()
    words = [w for w in split_words(q) if w not in STOP_WORDS]
    changed = False
    out: list[str] = []
    for word in words:
        toks = normaliser.word_tokens(word)
        if not toks or all(t in vocab for t in toks) or len(word) < 3 or not word.isalpha():
            out.append(word)
            continue
        folded = fold_word(word)
        candidates = [t for t in snap.title_words(folded[:1]) if abs(len(t) - len(folded)) <= 3]
        close = difflib.get_close_matches(folded, candidates, n=5, cutoff=0.7)
        if not close:
            out.append(word)
            continue
        best = max(close, key=lambda t: (difflib.SequenceMatcher(None, folded, t).ratio(), vocab.get(t, 0)))
        out.append(_display_word(best, snap) or best)
        changed = True
    return " ".join(out) if changed else None


def _display_word(token: str, snap: Snapshot) -> str | None:
    """A readable word of some title whose normalised form is `token` (tokens are stems: "comptabl")."""
    ids = snap.title_postings.get(token)
    if ids is None:
        return None
    normaliser = get_normaliser()
    titles = (
        SearchDocument.objects.filter(id__in=ids[:200].tolist())
        .order_by("titre", "id")
        .values_list("titre", flat=True)
    )
    for title in titles:
        for raw in re.split(r"[\s/'’(),.-]+", title):
            split = split_words(raw)
            if split and normaliser.word_tokens(split[0]) == [token]:
                return split[0]
    return None


# --- The search --------------------------------------------------------------------------------------------------


def search(q: str, **params: Any) -> SearchResponse:
    """The search: the parameters checked (`spro.search.params.validate`, `InvalidQuery` when one breaks its
    rule), then the ranking (`rank`). Parameters: those of the API, `q`, `type` … `page`, `par_page`."""
    return rank(validate(q, **params))


def rank(p: SearchParams) -> SearchResponse:
    """The page of results of checked parameters."""
    filters = Filters(
        type=p.type,
        niveau=p.niveau,
        modalite=p.modalite,
        departement=p.departement,
        region=p.region,
        public=p.public,
        domaine=p.domaine,
        region_or_placeless=p.region_par_defaut,
    )
    centre, rayon_km = None, p.rayon_km
    if p.commune:
        centre = _commune_centre(p.commune)
        rayon_km = rayon_km or DEFAULT_RAYON_KM
        filters.bbox = bounding_box(centre[0], centre[1], rayon_km)

    vocab = vocabulary()
    groups = parse_query(p.q, vocab.df)
    response = SearchResponse(q=p.q, total=0, resultats=[], page=p.page, par_page=p.par_page)
    if not groups and not (filters.any() or p.commune):
        return response
    snap = snapshots.snapshot(vocab.build_id)
    if groups and not any(g.known for g in groups):
        response.suggestion = suggest(p.q, vocab.df, snap)
        return response

    def admissible(ids: np.ndarray) -> np.ndarray:
        """The ids that pass the filters and the exact radius test."""
        keep = snap.mask(ids, filters)
        if keep is not None:
            ids = ids[keep]
        if centre is not None:
            ids = ids[snap.distances_km(ids, centre[0], centre[1]) <= rayon_km]
        return ids

    ids, present = _matches(snap, groups, vocab, admissible)
    response.total = int(ids.size)
    if not ids.size:
        response.suggestion = suggest(p.q, vocab.df, snap) if groups else None
        return response
    response.facettes = _facets(snap.counts(ids))
    distances = snap.distances_km(ids, centre[0], centre[1]) if centre is not None else None
    scored, distance_of = _scored(p, snap, ids, groups, vocab, present, distances)
    start = 0 if not groups and p.tri != "distance" else (p.page - 1) * p.par_page
    response.resultats = [_hit(score, doc, distance_of) for score, doc in scored[start : start + p.par_page]]
    return response


def _matches(
    snap: Snapshot, groups: list[Group], vocab: _Vocabulary, admissible
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """The admissible ids holding every known word (else as many as any holds), and per group which hold it."""
    present: list[np.ndarray | None] = [None] * len(groups)
    if not groups:
        return admissible(snap.ids), present
    backend = get_backend()
    known = [list(g.tokens) for g in groups if g.known]
    ids = admissible(snap.known(backend.match_ids(known, "and", vocab.df, vocab.documents)))
    if not ids.size and len(known) > 1:
        ids, present = _relaxed_matches(snap, backend, groups, vocab, admissible)
    return ids, present


def _scored(
    p: SearchParams,
    snap: Snapshot,
    ids: np.ndarray,
    groups: list[Group],
    vocab: _Vocabulary,
    present: list[np.ndarray | None],
    distances: np.ndarray | None,
) -> tuple[list[tuple[float, dict]], dict[int, float]]:
    """The candidates re-scored exactly and in their final order, with their distances to the commune."""
    qnorm = " ".join(next(iter(g.tokens)) for g in groups)
    wanted = p.page * p.par_page
    estimate = estimate_scores(snap, ids, groups, vocab, qnorm, present) if groups else np.zeros(ids.size)
    distance_of: dict[int, float] = {}
    if p.tri == "distance":
        order = np.lexsort((ids, -estimate, np.round(distances, 1)))[: wanted + CANDIDATES]
        pool = ids[order]
        distance_of = dict(zip(pool.tolist(), distances[order].tolist(), strict=True))
    elif groups:
        pool = preselect(snap, ids, estimate, max(CANDIDATES, wanted), distances)
    else:
        pool = snap.title_order(ids)[(p.page - 1) * p.par_page : wanted]
    if distances is not None and p.tri != "distance":
        in_pool = np.isin(ids, pool, assume_unique=True)
        distance_of = dict(zip(ids[in_pool].tolist(), distances[in_pool].tolist(), strict=True))
    docs = _documents(pool.tolist())
    scored = [(portable_score(docs[i], groups, vocab, qnorm), docs[i]) for i in pool.tolist() if i in docs]
    return _ordered(scored, p.tri, groups, distances is not None, distance_of), distance_of


def _ordered(
    scored: list[tuple[float, dict]], tri: str, groups: list[Group], near: bool, distance_of: dict[int, float]
) -> list[tuple[float, dict]]:
    if tri == "distance":
        scored.sort(
            key=lambda sd: (round(distance_of[sd[1]["id"]], 1), -sd[0], sd[1]["titre"].lower(), sd[1]["code"])
        )
        return scored
    if groups and near:
        return _nearest_first(scored, distance_of)
    if groups:
        scored.sort(key=lambda sd: (-sd[0], sd[1]["titre"].lower(), sd[1]["code"]))
        return _diversify(scored)
    scored.sort(key=lambda sd: (sd[1]["titre"].lower(), sd[1]["code"]))
    return [(0.0, doc) for _, doc in scored]


def _hit(score: float, doc: dict, distance_of: dict[int, float]) -> Hit:
    d = distance_of.get(doc["id"])
    return Hit(
        type=doc["type"],
        code=doc["code"],
        titre=doc["titre"],
        url=doc["url"],
        score=round(score, 4),
        sous_titre=doc["sous_titre"],
        distance_km=round(d, 1) if d is not None else None,
    )
