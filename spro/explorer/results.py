"""What the results page and the summary download show for a profile: the profile in words and each métier with
why it is proposed (« vous aimez… ; ce métier… »), its entry level and its tension when the referentials know them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from spro.explorer.forms import LEVEL_WORDS
from spro.explorer.questionnaire import RIASEC, Item, Questionnaire
from spro.explorer.referential import Referential
from spro.explorer.scoring import Profile, Ranked
from spro.search.details import metier_url
from spro.search.links import formations_url

#: The RIASEC letters as ROME names them, and what they mean in plain words.
RIASEC_NAMES = {
    "R": ("Réaliste", "faire des choses concrètes, avec ses mains, des outils ou des machines"),
    "I": ("Investigateur", "chercher, comprendre, résoudre des problèmes"),
    "A": ("Artistique", "créer, imaginer, s’exprimer"),
    "S": ("Social", "aider, soigner, conseiller, apprendre aux autres"),
    "E": ("Entreprenant", "décider, convaincre, vendre, diriger"),
    "C": ("Conventionnel", "organiser, classer, suivre des règles précises"),
}
MAX_REASONS = 3


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def profile_summary(profile: Profile, referential: Referential) -> dict[str, Any]:
    """The three strongest RIASEC letters and centres d'intérêt (score > 0), in percent, strongest first."""
    letters = sorted(
        (letter for letter in RIASEC if profile.riasec[letter] > 0), key=lambda k: -profile.riasec[k]
    )
    centres = sorted(
        (c for c, v in profile.centres.items() if v > 0), key=lambda c: (-profile.centres[c], int(c))
    )
    return {
        "riasec": [
            {
                "lettre": letter,
                "nom": RIASEC_NAMES[letter][0],
                "sens": RIASEC_NAMES[letter][1],
                "pourcent": round(100 * profile.riasec[letter]),
            }
            for letter in letters[:3]
        ],
        "centres": [
            {
                "code": c,
                "libelle": referential.centre_labels.get(c, c),
                "pourcent": round(100 * profile.centres[c]),
            }
            for c in centres[:3]
        ],
    }


def _why(
    ranked: Ranked, profile: Profile, items: dict[int, Item], referential: Referential
) -> dict[str, Any]:
    row = ranked.row
    own = {code for code, _p in row.centres}
    principal = next((code for code, p in row.centres if p), "")
    liked = [items[i] for i in profile.liked if own & set(items[i].centres)][:MAX_REASONS]
    shared = [c for c in dict.fromkeys(c for item in liked for c in item.centres) if c in own]
    major = row.riasec[:1]
    if not liked and major:
        liked = [items[i] for i in profile.liked if major in items[i].riasec][:MAX_REASONS]
    centres = [referential.centre_labels.get(c, c) for c in (shared or ([principal] if principal else []))]
    return {
        "vous": [_lower_first(item.libelle) for item in liked],
        "centres": centres,
        "riasec": RIASEC_NAMES[major] if major else None,
    }


def present(
    ranked: list[Ranked], profile: Profile, referential: Referential, questionnaire: Questionnaire
) -> list[dict[str, Any]]:
    items = {item.id: item for item in questionnaire.items}
    out = []
    for position, entry in enumerate(ranked, start=1):
        row = entry.row
        tension = None
        if row.tension is not None and row.tension[1]:
            forts, total, annee = row.tension
            tension = {"forts": forts, "total": total, "annee": annee}
        out.append(
            {
                "rang": position,
                "code": row.code,
                "libelle": row.libelle,
                "url": metier_url(row.code),
                # To open the choice (issue 15): what leads to it, and where one can go from it.
                "formations_url": formations_url(row.libelle),
                "parcours_url": reverse("metier-parcours", args=[row.code]),
                "score": round(entry.score, 4),
                "pourcent": round(100 * entry.score),
                "pourquoi": _why(entry, profile, items, referential),
                "niveau": LEVEL_WORDS.get(row.niveau) if row.niveau is not None else None,
                "tension": tension,
            }
        )
    return out


def summary_text(
    profile: Profile, summary: dict[str, Any], metiers: list[dict[str, Any]], site_url: str, results_url: str
) -> str:
    """The « Télécharger mon résumé » file: plain text, built from the address alone (nothing is kept)."""
    lines = ["Mes centres d’intérêt et des métiers à découvrir", "=" * 48, ""]
    lines.append(f"J’ai répondu à {profile.answered} questions.")
    if summary["riasec"]:
        lines.append("Ce qui m’attire le plus :")
        lines += [f"- {r['nom']} ({r['pourcent']} %) : {r['sens']}" for r in summary["riasec"]]
    if summary["centres"]:
        lines.append("Mes centres d’intérêt les plus forts :")
        lines += [f"- {c['libelle']} ({c['pourcent']} %)" for c in summary["centres"]]
    lines += ["", "Des métiers à découvrir (les plus proches de mes réponses d’abord) :", ""]
    for metier in metiers:
        lines.append(f"{metier['rang']}. {metier['libelle']} ({metier['code']})")
        why = metier["pourquoi"]
        if why["vous"]:
            lines.append(f"   Vous aimez : {' ; '.join(why['vous'])}.")
        if why["centres"]:
            lines.append(f"   Ce métier : {' ; '.join('« ' + c + ' »' for c in why['centres'])}.")
        if metier["niveau"]:
            lines.append(f"   Accès : à partir du niveau {metier['niveau']}.")
        if metier["tension"]:
            t = metier["tension"]
            lines.append(
                f"   Les employeurs ont du mal à recruter dans {t['forts']} zones d’emploi sur {t['total']}"
                f" ({t['annee']})."
            )
        lines.append(f"   Fiche : {site_url}{metier['url']}")
        lines.append("")
    lines += [
        "Retrouver ces résultats :",
        f"{site_url}{results_url}",
        "",
        "Ces résultats sont des idées à explorer, pas un conseil. Pour en parler, un conseiller ou une conseillère",
        "d’orientation peut vous recevoir gratuitement.",
    ]
    return "\n".join(lines) + "\n"
