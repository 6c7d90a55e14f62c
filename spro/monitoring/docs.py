"""The indicators' part of docs/pilotage.md, generated from the declarations (`spro indicateurs doc`), so the
documentation cannot miss a declared indicator (tested)."""

from __future__ import annotations

from spro.monitoring.declarations import DIMENSIONS, TERRITORY_LEVELS, Declarations

BEGIN = "<!-- indicateurs: début (généré par `spro indicateurs doc`) -->"
END = "<!-- indicateurs: fin -->"


def indicators_markdown(loaded: Declarations) -> str:
    parts = [BEGIN, ""]
    for i in loaded.indicators:
        status = "calculé" if i.disponible else f"**non disponible** — {i.statut}"
        parts += [
            f"### `{i.code}` — {i.libelle}",
            "",
            i.definition,
            "",
            f"- source : {i.source.modele} ; événement : {i.source.evenement}",
            f"- mesure : {i.mesure}",
            "- ventilations : " + (", ".join(f"{DIMENSIONS[d]} (`{d}`)" for d in i.ventilations) or "aucune"),
            "- territoires : "
            + (", ".join(f"{TERRITORY_LEVELS[t]} (`{t}`)" for t in i.territoires) or "aucun"),
            f"- responsable : {i.proprietaire}",
            f"- données ouvertes : {'oui' if i.public else 'non'}",
            f"- état : {status}",
            "",
        ]
    parts.append(END)
    return "\n".join(parts)
