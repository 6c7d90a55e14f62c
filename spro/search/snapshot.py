"""A per-process, read-only copy of the index's small columns, as numpy arrays indexed by document id.

Why: a broad query ("commercial", "bts") matches tens of thousands of the 300,000 offers of a national catalogue.
Fetching every match's filter columns from the database to count facets, and ranking every match in SQL, cost
hundreds of milliseconds. With these arrays the database only answers "which ids match the words" (one
compact string), and filtering, the radius test, facet counts and the preselection of candidates are vectorised
here in a few milliseconds, identically on every backend (docs/search.md).

The snapshot is rebuilt when a new index build appears (same key as the vocabulary): nothing here is ever written
back, so application servers stay stateless. Size: about 40 bytes per document plus the title postings
(≈ 25 MB for 335,000 documents); loading it takes about a second once per process and index build.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from spro.core.cache import KeyedCache
from spro.core.vocabularies import document_types

#: document types in their stable order (the type array holds the index in this tuple)
TYPE_CODES = document_types.VALUES

_EMPTY = np.zeros(0, dtype=np.int64)


def parse_ids(text: str | None) -> np.ndarray:
    """A comma-separated id list (SQL group_concat/string_agg) as a sorted, unique int64 array."""
    if not text:
        return _EMPTY
    ids = np.fromstring(text, dtype=np.int64, sep=",")  # text mode: parsed in C, not deprecated
    if ids.size > 1 and not (ids[1:] > ids[:-1]).all():  # FTS5 already gives them in order
        ids = np.unique(ids)
    return ids


@dataclass
class Filters:
    """The filters of a search, applied to the arrays (the radius test is applied after them)."""

    type: str | None = None
    niveau: str | None = None
    modalite: str | None = None
    departement: str | None = None
    region: str | None = None
    public: str | None = None
    domaine: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # lat_min, lat_max, lon_min, lon_max
    region_or_placeless: str | None = None  # the page's default territory: in this région, or without a place

    def any(self) -> bool:
        return any(
            (self.type, self.niveau, self.modalite, self.departement, self.region, self.public, self.domaine)
        )


class _Codes:
    """A small-int encoding of one text column: value → code, code → value (code 0 is the empty value)."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self.index: dict[str, int] = {"": 0}

    def code(self, value: str | None) -> int:
        value = value or ""
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


@dataclass
class Snapshot:
    build_id: tuple | None
    size: int
    ids: np.ndarray  # every document id, sorted
    present: np.ndarray  # bool[size]
    type: np.ndarray  # int8: index in TYPE_CODES, -1 when absent
    niveau: np.ndarray  # int16 codes of `niveaux`
    departement: np.ndarray
    region: np.ndarray
    domaine: np.ndarray
    tags: np.ndarray  # uint64 bit set of the |mod:x|pub:y| tags
    latitude: np.ndarray  # float64, NaN when unknown
    longitude: np.ndarray
    len_titre: np.ndarray  # float64 token counts, as the portable formula counts them
    len_texte: np.ndarray
    title_key: np.ndarray  # int32: same (type, normalised title) → same key
    niveaux: _Codes
    departements: _Codes
    regions: _Codes
    domaines: _Codes
    tag_bits: dict[str, int]
    title_postings: dict[str, np.ndarray]  # token → sorted ids of the documents with it in the title
    phrases: dict[str, np.ndarray]  # normalised title or appellation → sorted ids
    _title_rank: np.ndarray | None = field(default=None, repr=False)
    _by_letter: dict[str, list[str]] | None = field(default=None, repr=False)
    _saturations: tuple | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- queries -------------------------------------------------------------------------------------------

    def known(self, ids: np.ndarray) -> np.ndarray:
        """Drop ids the snapshot does not hold (a document written after it was loaded)."""
        if ids.size and (ids[-1] >= self.size or not self.present[ids].all()):
            ids = ids[ids < self.size]
            ids = ids[self.present[ids]]
        return ids

    def filter(self, ids: np.ndarray, filters: Filters) -> np.ndarray:
        mask = self.mask(ids, filters)
        return ids if mask is None else ids[mask]

    def mask(self, ids: np.ndarray, filters: Filters) -> np.ndarray | None:
        """bool per id: passes every filter (None: no filter at all)."""
        mask = None

        def both(condition: np.ndarray) -> None:
            nonlocal mask
            mask = condition if mask is None else mask & condition

        if filters.type:
            both(self.type[ids] == TYPE_CODES.index(filters.type))
        for column, codes, value in (
            (self.niveau, self.niveaux, filters.niveau),
            (self.departement, self.departements, filters.departement),
            (self.region, self.regions, filters.region),
            (self.domaine, self.domaines, filters.domaine),
        ):
            if value:
                code = codes.index.get(value)
                both(column[ids] == code if code is not None else np.zeros(ids.size, dtype=bool))
        if filters.region_or_placeless:
            code = self.regions.index.get(filters.region_or_placeless)
            placeless = np.isnan(self.latitude[ids])
            both(placeless | (self.region[ids] == code) if code is not None else placeless)
        for prefix, value in (("mod", filters.modalite), ("pub", filters.public)):
            if value:
                bit = self.tag_bits.get(f"{prefix}:{value}")
                if bit is None:
                    both(np.zeros(ids.size, dtype=bool))
                else:
                    both((self.tags[ids] & np.uint64(1 << bit)) != 0)
        if filters.bbox:
            lat_min, lat_max, lon_min, lon_max = filters.bbox
            lat, lon = self.latitude[ids], self.longitude[ids]
            both((lat >= lat_min) & (lat <= lat_max) & (lon >= lon_min) & (lon <= lon_max))
        return mask

    def distances_km(self, ids: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """Great-circle distances (same formula as service.haversine_km, vectorised)."""
        r = 6371.0088
        p1 = math.radians(lat)
        p2 = np.radians(self.latitude[ids])
        dp = p2 - p1
        dl = np.radians(self.longitude[ids] - lon)
        a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * r * np.arcsin(np.minimum(1.0, np.sqrt(a)))

    def counts(self, ids: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet counts of the given documents: {facet: {value: count}} (empty values left out)."""
        out: dict[str, dict[str, int]] = {}
        types = np.bincount(self.type[ids].astype(np.int64) + 1, minlength=len(TYPE_CODES) + 1)
        out["type"] = {code: int(types[i + 1]) for i, code in enumerate(TYPE_CODES) if types[i + 1]}
        for name, column, codes in (
            ("niveau", self.niveau, self.niveaux),
            ("domaine", self.domaine, self.domaines),
            ("region", self.region, self.regions),
            ("departement", self.departement, self.departements),
        ):
            found = np.bincount(column[ids], minlength=len(codes.values))
            out[name] = {codes.values[i]: int(found[i]) for i in np.flatnonzero(found) if i}
        tags = self.tags[ids]
        out["tags"] = {}
        for tag, bit in self.tag_bits.items():
            n = int(np.count_nonzero(tags & np.uint64(1 << bit)))
            if n:
                out["tags"][tag] = n
        return out

    def in_title(self, token: str, ids: np.ndarray) -> np.ndarray:
        """bool per id: the token is one of the document's title tokens."""
        postings = self.title_postings.get(token)
        if postings is None or not ids.size:
            return np.zeros(ids.size, dtype=bool)
        return _member(ids, postings, self.size)

    def with_phrase(self, phrase: str, ids: np.ndarray) -> np.ndarray:
        """bool per id: the whole normalised query is the title or one appellation of the document."""
        found = self.phrases.get(phrase)
        if found is None or not ids.size:
            return np.zeros(ids.size, dtype=bool)
        return _member(ids, found, self.size)

    def saturations(self, k1: float, b: float, title_weight: float, avg_titre: float, avg_texte: float):
        """Per document, the BM25 saturation of one occurrence in the title and of one in the text (the
        estimate of service.estimate_scores), computed once per snapshot and ranking constants."""
        key = (k1, b, title_weight, avg_titre, avg_texte)
        cached = self._saturations
        if cached is None or cached[0] != key:
            title = title_weight / (1 - b + b * self.len_titre / avg_titre)
            text = 1 / (1 - b + b * self.len_texte / avg_texte)
            cached = self._saturations = (key, title * (k1 + 1) / (title + k1), text * (k1 + 1) / (text + k1))
        return cached[1], cached[2]

    def title_words(self, first_letter: str) -> list[str]:
        """Title tokens starting with a letter, sorted (candidates of the "did you mean" suggestion)."""
        if self._by_letter is None:
            with self._lock:
                if self._by_letter is None:
                    by_letter: dict[str, list[str]] = defaultdict(list)
                    for token in sorted(self.title_postings):
                        by_letter[token[:1]].append(token)
                    self._by_letter = dict(by_letter)
        return self._by_letter.get(first_letter, [])

    def title_order(self, ids: np.ndarray) -> np.ndarray:
        """The ids sorted by (title in lower case, code): the order of a search without words."""
        if self._title_rank is None:
            with self._lock:
                if self._title_rank is None:
                    self._title_rank = _title_rank(self.size)
        return ids[np.argsort(self._title_rank[ids], kind="stable")]


def _member(ids: np.ndarray, sorted_values: np.ndarray, size: int) -> np.ndarray:
    """bool per id: present in sorted_values (both sorted)."""
    if ids.size > 2000 and ids.size * 8 > sorted_values.size:
        marks = np.zeros(size, dtype=bool)
        marks[sorted_values] = True
        return marks[ids]
    pos = np.searchsorted(sorted_values, ids)
    pos[pos >= sorted_values.size] = 0
    return sorted_values[pos] == ids


def _title_rank(size: int) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, titre, code FROM search_searchdocument")
        rows = cursor.fetchall()
    rows.sort(key=lambda r: (r[1].lower(), r[2]))
    rank = np.zeros(size, dtype=np.int64)
    rank[np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))] = np.arange(len(rows))
    return rank


def load(build_id: tuple | None) -> Snapshot:
    """Read the small columns of every document in one query (≈ 1 s for 335,000 documents)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, type, niveau, filtres, code_departement, code_region, domaine, latitude, longitude, "
            "titre_norm, phrases_norm, "
            "LENGTH(texte_norm) - LENGTH(REPLACE(texte_norm, ' ', '')) "
            "FROM search_searchdocument ORDER BY id"
        )
        rows = cursor.fetchall()
    n = len(rows)
    size = (rows[-1][0] + 1) if rows else 1
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    niveaux, departements, regions, domaines = _Codes(), _Codes(), _Codes(), _Codes()
    tag_bits: dict[str, int] = {}
    title_keys: dict[tuple[str, str], int] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    phrases: dict[str, list[int]] = defaultdict(list)
    type_index = {code: i for i, code in enumerate(TYPE_CODES)}

    def tag_mask(filtres: str) -> int:
        mask = 0
        for tag in filtres.split("|"):
            if tag:
                bit = tag_bits.get(tag)
                if bit is None:
                    if len(tag_bits) >= 64:
                        continue  # never reached with the built-in vocabularies (≤ 10 tags)
                    bit = tag_bits[tag] = len(tag_bits)
                mask |= 1 << bit
        return mask

    columns = {
        "type": np.full(size, -1, dtype=np.int8),
        "niveau": np.zeros(size, dtype=np.int16),
        "departement": np.zeros(size, dtype=np.int16),
        "region": np.zeros(size, dtype=np.int16),
        "domaine": np.zeros(size, dtype=np.int16),
        "tags": np.zeros(size, dtype=np.uint64),
        "latitude": np.full(size, np.nan),
        "longitude": np.full(size, np.nan),
        "len_titre": np.ones(size),
        "len_texte": np.ones(size),
        "title_key": np.zeros(size, dtype=np.int32),
    }
    type_list, niveau_list, dep_list, reg_list, dom_list, tag_list = [], [], [], [], [], []
    lat_list, lon_list, lt_list, lx_list, key_list = [], [], [], [], []
    for doc_id, type_, niveau, filtres, dep, reg, dom, lat, lon, titre_norm, phrases_norm, spaces in rows:
        type_list.append(type_index.get(type_, -1))
        niveau_list.append(niveaux.code(niveau))
        dep_list.append(departements.code(dep))
        reg_list.append(regions.code(reg))
        dom_list.append(domaines.code(dom))
        tag_list.append(tag_mask(filtres) if filtres else 0)
        lat_list.append(math.nan if lat is None else lat)
        lon_list.append(math.nan if lon is None else lon)
        tokens = titre_norm.split()
        # The portable formula pads with spaces and counts them: max(1, tokens); text: spaces + 1.
        lt_list.append(max(1, len(tokens)))
        lx_list.append(max(1, (spaces or 0) + 1) if spaces is not None else 1)
        key = (type_, titre_norm)
        key_list.append(title_keys.setdefault(key, len(title_keys)))
        for token in set(tokens):
            postings[token].append(doc_id)
        if phrases_norm:
            for phrase in set(phrases_norm.split("|")):
                if phrase:
                    phrases[phrase].append(doc_id)
    for name, values in (
        ("type", type_list),
        ("niveau", niveau_list),
        ("departement", dep_list),
        ("region", reg_list),
        ("domaine", dom_list),
        ("tags", tag_list),
        ("latitude", lat_list),
        ("longitude", lon_list),
        ("len_titre", lt_list),
        ("len_texte", lx_list),
        ("title_key", key_list),
    ):
        columns[name][ids] = np.array(values, dtype=columns[name].dtype)
    present = np.zeros(size, dtype=bool)
    present[ids] = True
    return Snapshot(
        build_id=build_id,
        size=size,
        ids=ids,
        present=present,
        niveaux=niveaux,
        departements=departements,
        regions=regions,
        domaines=domaines,
        tag_bits=tag_bits,
        title_postings={t: np.array(v, dtype=np.int64) for t, v in postings.items()},
        phrases={p: np.array(v, dtype=np.int64) for p, v in phrases.items()},
        **columns,
    )


#: one entry, "index": the snapshot of the index build given as the stamp (one per process, replaced by the next)
_snapshots: KeyedCache[str, Snapshot] = KeyedCache(lambda _key, build_id: load(build_id))


def snapshot(build_id: tuple | None) -> Snapshot:
    """The snapshot of the given index build, loaded on first use in this process."""
    return _snapshots.get("index", stamp=build_id)
