"""The fiches' vectors and facts for the explorer, built once per process from the first answer's métier index
(`spro.answer.metiers.get_index`: centres d'intérêt per fiche, RIASEC letters, labels, parents) plus what the
results show beside each métier: its grand domaine, its lowest entry level and its national tension.

Rebuilt when the ROME referential changes (the métier index's key) or when any referential is imported again
(certifications and labour market change the level and tension): one small query per call.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from spro.answer.metiers import get_index
from spro.core.cache import KeyedCache
from spro.explorer.scoring import FicheRow, Matrix
from spro.referentials.certifications.models import CertificationMetier
from spro.referentials.labour.models import TensionIndicator
from spro.referentials.models import ImportRun
from spro.referentials.rome.models import FicheMetier, GrandDomaine

LEVELS = range(2, 9)  # European framework levels that read as words (sans diplôme … bac + 8)
TENSION_STRONG = 4  # France Travail's indicator: 4 and 5 = forte, très forte


@dataclass
class Referential:
    matrix: Matrix
    by_code: dict[str, FicheRow]
    centre_labels: dict[str, str]
    grands_domaines: list[tuple[str, str]]  # (code, libellé), those that have active fiches


def _levels(parents: dict[str, str]) -> dict[str, int]:
    """Per fiche, the lowest level of the certifications whose first ROME code (Certif Info's rang 1) is the fiche;
    a child fiche without its own takes its parent's (Certif Info knows ROME v3 codes, the parents)."""
    rows = (
        CertificationMetier.objects.filter(
            rang=1, certification__is_active=True, certification__niveau_europeen__in=list(LEVELS)
        )
        .values("fiche_metier_id")
        .annotate(niveau=Min("certification__niveau_europeen"))
    )
    own: dict[str, int] = {row["fiche_metier_id"]: row["niveau"] for row in rows}
    levels: dict[str, int] = {}
    for code, parent in parents.items():
        level = own.get(code, own.get(parent))
        if level is not None:
            levels[code] = level
    return levels


def _tensions() -> dict[str, tuple[int, int, int]]:
    """Per fiche, (bassins where the indicator is 4 or 5, bassins with an indicator, year) for the latest year."""
    latest = TensionIndicator.objects.order_by("-annee").values_list("annee", flat=True).first()
    if latest is None:
        return {}
    rows = (
        TensionIndicator.objects.filter(annee=latest, fiche_metier__isnull=False)
        .values("fiche_metier_id")
        .annotate(n=Count("id"), forts=Count("id", filter=Q(indicateur__gte=TENSION_STRONG)))
    )
    return {row["fiche_metier_id"]: (row["forts"], row["n"], latest) for row in rows}


def _build(stamp: tuple) -> Referential:
    index = get_index()
    centres: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for centre, links in index.centres.items():
        for code, principal in links:
            centres[code].append((centre, principal))
    domaines = dict(
        FicheMetier.objects.filter(is_active=True).values_list(
            "code_rome", "domaine_professionnel__grand_domaine_id"
        )
    )
    levels = _levels(index.parents)
    tensions = _tensions()
    rows = [
        FicheRow(
            code=code,
            libelle=label,
            riasec=index.riasec.get(code, ""),
            centres=tuple(sorted(centres.get(code, ()))),
            grand_domaine=domaines.get(code, ""),
            parent=index.parents.get(code, code),
            niveau=levels.get(code),
            tension=tensions.get(code),
        )
        for code, label in index.fiche_labels.items()
    ]
    used = set(domaines.values())
    return Referential(
        matrix=Matrix.build(rows),
        by_code={row.code: row for row in rows},
        centre_labels=dict(index.centre_labels),
        grands_domaines=[
            (code, label)
            for code, label in GrandDomaine.objects.filter(is_active=True).values_list("code", "libelle")
            if code in used
        ],
    )


def _stamp(_name: str) -> tuple:
    last = ImportRun.objects.filter(status="success").order_by("-id").values_list("id", flat=True).first()
    return (get_index().key, last)


_CACHE: KeyedCache[str, Referential] = KeyedCache(lambda _name, stamp: _build(stamp), _stamp)


def get_referential() -> Referential:
    """The explorer's fiches of the current referentials (built on first use: the métier index, then ~0.3 s)."""
    return _CACHE.get("explorer")


def clear() -> None:
    """Forget the built referential (tests whose data is rolled back)."""
    _CACHE.clear()


def warm() -> None:
    """Build it when a worker starts (registered in ExplorerConfig.ready), so that no person waits."""
    get_referential()
