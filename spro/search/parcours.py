"""« Parcours de métiers »: the métiers reachable from a fiche, what each asks to learn and what leads to it.

The reachable métiers and the items to acquire come from ROME (`spro.referentials.rome.mobilites`); this module adds,
for each target, the certifications and formations that lead to it, chosen exactly as the fiche métier's
« formations qui y mènent » (`spro.search.details`), and returns a JSON-ready dict that the page
`/metiers/{code}/parcours` and `GET /api/v1/metiers/{code}/mobilites` both render.
"""

from __future__ import annotations

from typing import Any

from spro.referentials.geo.models import Commune
from spro.referentials.rome.mobilites import (
    SAVOIR,
    SAVOIR_ETRE,
    SAVOIR_FAIRE,
    Cible,
    contextes_a_eviter,
    parcours,
)
from spro.referentials.rome.models import FicheMetier
from spro.search.details import (
    certification_summary,
    fiche_offers,
    fiche_summary,
    formations_for_certifications,
    linked_certifications,
    metier_titles,
    metier_url,
)
from spro.search.links import formations_url

#: How many certifications and formations each target lists (its fiche has the full lists).
MAX_PER_CIBLE = 3

NATURE_LABELS = {SAVOIR_FAIRE: "savoir-faire", SAVOIR_ETRE: "savoir-être", SAVOIR: "savoir"}


def _routes(code_rome: str, commune: Commune | None) -> dict[str, Any]:
    """The first certifications and formations leading to a fiche, as its fiche page ranks them."""
    fiche = FicheMetier.objects.get(code_rome=code_rome)
    certs, closest, parent = linked_certifications(fiche)
    formations: list[dict[str, Any]] = []
    total = 0
    if commune is not None:
        near, others, total = fiche_offers(fiche, certs[: MAX_PER_CIBLE * 10], commune)
        formations = near[:MAX_PER_CIBLE]
    if len(formations) < MAX_PER_CIBLE:
        onisep, onisep_total = formations_for_certifications(certs, closest if parent else None)
        formations += onisep[: MAX_PER_CIBLE - len(formations)]
        total += onisep_total
    return {
        "certifications": [certification_summary(c) for c in certs[:MAX_PER_CIBLE]],
        "certifications_total": len(certs),
        "formations": formations,
        "formations_total": total,
        "formations_recherche": formations_url(fiche.libelle, commune.code_insee if commune else None),
    }


def _cible(cible: Cible, commune: Commune | None) -> dict[str, Any]:
    return {
        "code_rome": cible.code_rome,
        **metier_titles(cible.libelle),
        "url": metier_url(cible.code_rome),
        "pas": cible.pas,
        "ordre": cible.ordre,
        "meme_domaine": cible.meme_domaine,
        "via": [
            {
                "code_rome": e.code_rome,
                **metier_titles(e.libelle),
                "url": metier_url(e.code_rome),
                "ordre": e.ordre,
            }
            for e in cible.via
        ],
        "competences_a_acquerir": [
            {
                "code_ogr": item.code_ogr,
                "libelle": item.libelle,
                "nature": item.nature,
                "coeur_metier": item.coeur_metier,
            }
            for item in cible.a_acquerir
        ],
        "competences_en_commun": cible.en_commun,
        **_routes(cible.code_rome, commune),
    }


def parcours_detail(
    code_rome: str, pas: int = 2, sans_contextes: tuple[str, ...] = (), commune: Commune | None = None
) -> dict[str, Any] | None:
    """The parcours from a fiche; None when the fiche is unknown or retired. Raises ValueError for a `pas` other
    than 1 or 2 and `spro.referentials.rome.mobilites.UnknownContexte` for an unknown contexte code."""
    found = parcours(code_rome, pas=pas, sans_contextes=sans_contextes)
    if found is None:
        return None
    return {
        "metier": fiche_summary(found.origine),
        "pas": found.pas,
        "sans_contexte": [{"code": c.code_ogr, "libelle": c.libelle} for c in found.exclus],
        "contextes_filtrables": [
            {"code": c.code_ogr, "libelle": c.libelle} for c in contextes_a_eviter(found.origine.code_rome)
        ],
        "commune": {"code_insee": commune.code_insee, "nom": commune.nom} if commune else None,
        "cibles_ecartees": found.ecartees,
        "un_pas": [_cible(c, commune) for c in found.par_pas(1)],
        "deux_pas": [_cible(c, commune) for c in found.par_pas(2)],
    }
