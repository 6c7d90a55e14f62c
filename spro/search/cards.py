"""The result cards of the `/recherche` page: a search hit with its level, its place, its distance and one line
of description, and the versions of one diploma merged into one card (docs/design/search.md).

The API returns the hits as they are (`spro.search.service.Hit`); only the page reads these extra fields, with one
query per kind of result on the page (ten results at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spro.core.vocabularies import document_types
from spro.referentials.certifications.models import Certification
from spro.referentials.rome.models import FicheMetier
from spro.search.models import SearchDocument
from spro.search.params import NIVEAUX
from spro.search.service import Hit

DESCRIPTION_CHARS = 140


def one_line(text: str | None, limit: int = DESCRIPTION_CHARS) -> str:
    """The first sentence of a text, cut at a word before `limit` characters (with « … » when cut)."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    end = text.find(". ")
    if 0 < end < limit:
        return text[: end + 1]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _levels(hits: Sequence[Hit]) -> dict[tuple[str, str], str]:
    keys = {(hit.type, hit.code) for hit in hits}
    rows = SearchDocument.objects.filter(code__in={code for _, code in keys}).values_list(
        "type", "code", "niveau"
    )
    return {(t, c): niveau for t, c, niveau in rows if (t, c) in keys and niveau}


def _metier_descriptions(hits: Sequence[Hit]) -> dict[str, str]:
    codes = [hit.code for hit in hits if hit.type == "metier"]
    if not codes:
        return {}
    return {
        code: one_line(text)
        for code, text in FicheMetier.objects.filter(code_rome__in=codes).values_list(
            "code_rome", "definition"
        )
    }


def _replaced(hits: Sequence[Hit]) -> dict[str, dict[str, Any]]:
    """Certif Info code → its own version facts, for the certifications on the page."""
    codes = [hit.code.removeprefix("certifinfo-") for hit in hits if hit.type == "certification"]
    if not codes:
        return {}
    rows = Certification.objects.filter(code__in=codes).values(
        "code", "code_ancien_diplome", "annee_premiere_session", "annee_derniere_session"
    )
    return {f"certifinfo-{row['code']}": row for row in rows}


def result_cards(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """One card per result, in the search's order; a diploma and the version it replaces (Certif Info's
    `code_ancien_diplome`, same title: « CAP cuisine » 88543, last session 2025, and 115708, first session 2026)
    make one card at the better-ranked place, linking to the new version and naming the old one."""
    levels = _levels(hits)
    descriptions = _metier_descriptions(hits)
    versions = _replaced(hits)
    by_code = {hit.code: hit for hit in hits if hit.type == "certification"}
    # old version's code → new version's code, when both are on the page with the same title
    replaced_by: dict[str, str] = {}
    for code, row in versions.items():
        old = f"certifinfo-{row['code_ancien_diplome']}" if row["code_ancien_diplome"] else ""
        if old in by_code and by_code[old].titre.casefold() == by_code[code].titre.casefold():
            replaced_by[old] = code
    cards: list[dict[str, Any]] = []
    placed: dict[str, dict[str, Any]] = {}  # hit code → its card
    for hit in hits:
        newest = hit.code
        while newest in replaced_by:
            newest = replaced_by[newest]
        group = [c for c in (hit.code, newest) if c]
        card = next((placed[c] for c in group if c in placed), None)
        if card is not None:
            if card["hit"] is not hit:
                card["versions"].append(_version(hit, versions))
            placed[hit.code] = card
            continue
        shown = by_code.get(newest, hit)
        niveau = levels.get((shown.type, shown.code), "")
        card = {
            "hit": shown,
            "type_label": document_types.LABELS.get(shown.type, shown.type),
            "niveau": niveau,
            "niveau_label": NIVEAUX.get(niveau, ""),
            "detail": _detail(shown),
            "description": descriptions.get(shown.code, ""),
            "distance_km": hit.distance_km if shown is hit else shown.distance_km,
            "versions": [],
        }
        if shown is not hit:
            card["versions"].append(_version(hit, versions))
        cards.append(card)
        placed[hit.code] = placed[shown.code] = card
    return cards


def _detail(hit: Hit) -> str:
    """The hit's sub-title without what the card already shows (its type, its level): « Santé », « Lycée X ·
    Rennes », « Certificat d'aptitude professionnelle »."""
    label = document_types.LABELS.get(hit.type, hit.type)
    parts = [p for p in hit.sous_titre.split(" · ") if p and p != label and not p.startswith("niveau ")]
    return " · ".join(parts)


def _version(hit: Hit, versions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    row = versions.get(hit.code, {})
    return {"titre": hit.titre, "url": hit.url, "derniere_session": row.get("annee_derniere_session")}
