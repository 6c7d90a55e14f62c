"""The page of one centre d'intérêt: a short list first, the rest grouped by grand domaine (issue 14).

ROME 4.0's `arborescence_centre_interet` file links each fiche to one to five centres d'intérêt and marks exactly
one of them « principal » per fiche (1,584 fiches, 1,584 « oui », checked on v4.60): « principal » is the fiche's
main interest, not a ranking inside the interest. The 30 interests gather 13 to 499 fiches each, 11 % to 74 % of
them « principal ». A young reader gets a short list of those (CAP_PRINCIPAL, spread across the grands domaines so
that it is not only the first letters of the alphabet), then every other métier in folded groups by grand domaine
with their counts — no 182-line list, no repeated badge.
"""

from __future__ import annotations

from typing import Any

from spro.referentials.rome.models import CentreInteret
from spro.search.details import metier_titles, metier_url

#: How many métiers the short list shows at most.
CAP_PRINCIPAL = 12


def _spread(fiches: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """At most `cap` fiches taken in turn from each grand domaine (the largest first), shown alphabetically."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for fiche in fiches:
        by_domain.setdefault(fiche["grand_domaine"], []).append(fiche)
    queues = sorted(by_domain.values(), key=lambda items: (-len(items), items[0]["grand_domaine"]))
    chosen: list[dict[str, Any]] = []
    depth = 0
    while len(chosen) < min(cap, len(fiches)):
        for items in queues:
            if depth < len(items) and len(chosen) < cap:
                chosen.append(items[depth])
        depth += 1
    return sorted(chosen, key=lambda f: (f["libelle"].casefold(), f["code_rome"]))


def interest_page(centre: CentreInteret, cap: int = CAP_PRINCIPAL) -> dict[str, Any]:
    """`principaux`: the short list; `principaux_total`: how many fiches have this as their main interest;
    `groupes`: every other fiche by grand domaine (label, count, fiches alphabetically), largest group first."""
    links = (
        centre.liens_fiches.filter(fiche__is_active=True)
        .select_related("fiche__domaine_professionnel__grand_domaine")
        .order_by("fiche__libelle", "fiche_id")
    )
    fiches: list[dict[str, Any]] = []
    for link in links:
        grand = link.fiche.domaine_professionnel.grand_domaine
        fiches.append(
            {
                "code_rome": link.fiche_id,
                **metier_titles(link.fiche.libelle),
                "url": metier_url(link.fiche_id),
                "principal": link.principal,
                "grand_domaine": grand.code,
                "grand_domaine_libelle": grand.libelle,
            }
        )
    principal = [f for f in fiches if f["principal"]]
    short = _spread(principal, cap)
    shown = {f["code_rome"] for f in short}
    groups: dict[str, dict[str, Any]] = {}
    for fiche in fiches:
        if fiche["code_rome"] in shown:
            continue
        group = groups.setdefault(
            fiche["grand_domaine"],
            {"code": fiche["grand_domaine"], "libelle": fiche["grand_domaine_libelle"], "fiches": []},
        )
        group["fiches"].append(fiche)
    ordered = sorted(groups.values(), key=lambda g: (-len(g["fiches"]), g["libelle"].casefold()))
    for group in ordered:
        group["total"] = len(group["fiches"])
    return {
        "principaux": short,
        "principaux_total": len(principal),
        "groupes": ordered,
        "total": len(fiches),
    }
