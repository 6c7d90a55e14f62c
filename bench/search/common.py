"""Shared pieces of the search benchmark: Django set-up, the relevance set, the `icontains` baseline, metrics.

The baseline is what a plain Django site would do without a search engine: `icontains` of the whole query on
the titles of the same referentials (fiche libellé and appellations, Certif Info labels, formation titles of
ONISEP, Parcoursup, Trouver mon master and LHÉO offers), shortest titles first. It is measured in the same run
as the engine so that the ratios do not depend on how busy the shared machine is.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
RELEVANCE = HERE / "relevance.jsonl"
#: `--smoke` (the test suite runs each benchmark at this size so that none can rot unnoticed; figures meaningless).
SMOKE_QUERIES = 5

#: Queries a portal sends all day long, on top of the relevance set (for latency only).
TYPICAL_QUERIES = [
    "infirmier",
    "cap",
    "bts",
    "formation",
    "commercial",
    "aide",
    "alternance",
    "développeur",
    "cuisine",
    "vente",
    "transport logistique",
    "bac pro",
    "santé",
    "agent",
    "technicien maintenance",
    "responsable",
    "comptable",
    "a",
    "de la",
    "informatique alternance lyon",
]


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
    import django

    django.setup()


def backend_name() -> str:
    from django.db import connection

    return connection.vendor


def load_relevance(path: Path = RELEVANCE) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class BaselineHit:
    type: str
    code: str
    titre: str


def baseline_search(
    q: str, type: str | None = None, limit: int = 10, per_source: int = 50
) -> list[BaselineHit]:
    """`icontains` of the whole query on titles; shortest title first (a title that is the query wins)."""
    from django.apps import apps

    q = q.strip()
    if not q:
        return []
    hits: dict[tuple[str, str], BaselineHit] = {}

    def add(kind: str, code: str, titre: str) -> None:
        hits.setdefault((kind, code), BaselineHit(kind, code, titre))

    if type in (None, "metier"):
        fiche = apps.get_model("rome", "FicheMetier")
        appellation = apps.get_model("rome", "Appellation")
        for code, label in fiche.objects.filter(libelle__icontains=q).values_list("code_rome", "libelle")[
            :per_source
        ]:
            add("metier", code, label)
        rows = appellation.objects.filter(libelle_long__icontains=q).values_list("fiche_id", "fiche__libelle")
        for code, label in rows[:per_source]:
            add("metier", code, label)
    if type in (None, "certification"):
        cert = apps.get_model("certifications", "Certification")
        for code, label in cert.objects.filter(libelle__icontains=q).values_list("code", "libelle")[
            :per_source
        ]:
            add("certification", f"certifinfo-{code}", label)
    if type in (None, "formation"):
        sources = [
            ("FormationOnisep", "id", "libelle", "onisep-"),
            ("FormationParcoursup", "id", "filiere", "parcoursup-"),
            ("MentionMaster", "id", "intitule", "master-"),
        ]
        for model_name, key, field, prefix in sources:
            model = apps.get_model("formations", model_name)
            rows = model.objects.filter(**{f"{field}__icontains": q}).values_list(key, field)[:per_source]
            for code, label in rows:
                add("formation", f"{prefix}{code}", label)
        action = apps.get_model("offers", "Action")
        rows = action.objects.filter(formation__intitule__icontains=q).values_list(
            "numero", "formation__numero", "formation__intitule"
        )
        for numero, f_numero, label in rows[:per_source]:
            code = f"offre-{f_numero}{numero}" if numero.startswith("#") else f"offre-{numero}"
            add("formation", code, label)
    ranked = sorted(hits.values(), key=lambda h: (len(h.titre), h.titre, h.code))
    return ranked[:limit]


def ndcg_at(keys: list[str], judgments: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** judgments.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(keys[:k]))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def success_at(keys: list[str], judgments: dict[str, int], k: int = 3, min_grade: int = 2) -> float:
    return 1.0 if any(judgments.get(key, 0) >= min_grade for key in keys[:k]) else 0.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def write_json(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
