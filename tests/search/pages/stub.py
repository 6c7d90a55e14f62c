"""A stand-in for `spro.search.service` (written in parallel by search-core) with the same public interface.

Plain `icontains` on titles, so the pages can be tested before, and independently of, the real index.
"""

from __future__ import annotations

from spro.referentials.certifications.models import Certification
from spro.referentials.rome.models import FicheMetier
from spro.search.service import (  # the real types: only the engine is stood in for
    Hit,
    InvalidQuery,
    SearchResponse,
)


def search(
    q: str, *, type: str | None = None, page: int = 1, par_page: int = 10, **filters
) -> SearchResponse:
    if "\x00" in q or len(q) > 200:
        raise InvalidQuery(
            "La recherche est trop longue ou contient des caractères invalides.", "invalid_query"
        )
    hits: list[Hit] = []
    if type in (None, "metier"):
        for fiche in FicheMetier.objects.filter(libelle__icontains=q.strip(), is_active=True).order_by(
            "code_rome"
        ):
            hits.append(Hit("metier", fiche.code_rome, fiche.libelle, f"/metiers/{fiche.code_rome}", 2.0))
    if type in (None, "certification"):
        for cert in Certification.objects.filter(libelle__icontains=q.strip(), is_active=True).order_by(
            "code"
        ):
            hits.append(
                Hit(
                    "certification",
                    f"certifinfo-{cert.code}",
                    cert.libelle,
                    f"/certifications/certifinfo-{cert.code}",
                    1.0,
                    sous_titre=cert.type_libelle,
                )
            )
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.type] = counts.get(hit.type, 0) + 1
    labels = {"metier": "Métiers", "certification": "Certifications"}
    facettes = {"type": [(key, labels[key], count) for key, count in counts.items()]} if hits else {}
    start = (page - 1) * par_page
    return SearchResponse(
        q=q,
        total=len(hits),
        resultats=hits[start : start + par_page],
        page=page,
        par_page=par_page,
        facettes=facettes,
        suggestion=None if hits else "infirmier",
    )
