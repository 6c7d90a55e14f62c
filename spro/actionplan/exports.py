"""Exports of a plan version, all read from its frozen snapshot: the annex to the CPRDFOP (a neutral document
turned into PDF or ODT by `spro.core.documents`, with the Region's theme), and open data (CSV of actions, CSV of
indicators, JSON of the whole tree)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils import timezone

from spro.actionplan.models import PlanVersion
from spro.actionplan.plans import actions_of
from spro.core.documents import BulletList, Document, Heading, KeyValues, Paragraph, Table

ACTION_COLUMNS = [
    "code_action",
    "axe",
    "objectif",
    "action",
    "etat",
    "avancement_pct",
    "commentaire_avancement",
    "pilotes",
    "chef_de_file",
]
INDICATOR_COLUMNS = [
    "code_action",
    "action",
    "indicateur",
    "unite",
    "source",
    "valeur_reference",
    "annee_reference",
    "nature",
    "annee_ou_periode",
    "fin_de_periode",
    "valeur",
]


def french_number(text: str | None) -> str:
    return "–" if text in (None, "") else str(text).replace(".", ",")


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def version_status(version: PlanVersion) -> str:
    if version.published_at:
        return f"publiée le {_date(version.published_at)}"
    return "enregistrée, non publiée"


def annex_document(version: PlanVersion) -> Document:
    """The annex to the CPRDFOP: the plan of the version, its approvals, each action with its pilots, progress
    and indicators."""
    snapshot: dict[str, Any] = version.snapshot
    plan = snapshot["plan"]
    blocks: list = [
        KeyValues(
            [
                ("Région", plan["region_name"]),
                ("Période du CPRDFOP", f"{plan['start_year']}-{plan['end_year']}"),
                ("Version", f"{version.number}, enregistrée le {_date(version.created_at)}"),
                ("État de la version", version_status(version)),
                ("Empreinte SHA-256 du contenu", version.sha256),
            ]
        )
    ]
    if plan.get("introduction"):
        blocks.append(Paragraph(plan["introduction"]))
    if version.note:
        blocks.append(Paragraph(f"Note de version : {version.note}"))
    approvals = list(version.approvals.select_related("user"))
    blocks.append(Heading("Approbations", 1))
    if approvals:
        blocks.append(
            Table(
                ["Partie", "Approuvée le", "Par"],
                [
                    [
                        a.party_label,
                        _date(a.approved_at),
                        a.user.get_full_name() or "représentant·e désigné·e",
                    ]
                    for a in approvals
                ],
                caption="Approbations de cette version par les parties",
            )
        )
    else:
        blocks.append(Paragraph("Cette version n’a encore été approuvée par aucune partie."))
    for axis in snapshot["axes"]:
        blocks.append(Heading(f"Axe {axis['code']} – {axis['title']}", 1))
        if axis["description"]:
            blocks.append(Paragraph(axis["description"]))
        for objective in axis["objectives"]:
            blocks.append(Heading(f"Objectif {objective['code']} – {objective['title']}", 2))
            if objective["description"]:
                blocks.append(Paragraph(objective["description"]))
            for action in objective["actions"]:
                blocks.extend(_action_blocks(action))
    return Document(
        title=f"{plan['title']}",
        subtitle=(
            f"Plan d’action partagé du SPRO – annexe au CPRDFOP {plan['start_year']}-{plan['end_year']} – "
            f"{plan['region_name']} – version {version.number}"
        ),
        blocks=blocks,
    )


def _pilots_text(action: dict[str, Any]) -> str:
    names = [
        f"{p['label']} ({p['kind_label']}{', chef de file' if p['lead'] else ''})" for p in action["pilots"]
    ]
    return " ; ".join(names) or "–"


def _action_blocks(action: dict[str, Any]) -> list:
    blocks: list = [Heading(f"Action {action['code']} – {action['title']}", 3)]
    if action["description"]:
        blocks.append(Paragraph(action["description"]))
    pairs = [
        ("Pilotes", _pilots_text(action)),
        ("État", action["status_label"]),
        ("Avancement", f"{action['progress']} %"),
    ]
    if action["progress_comment"]:
        pairs.append(("Commentaire", action["progress_comment"]))
    blocks.append(KeyValues(pairs))
    if action["indicators"]:
        rows = []
        for indicator in action["indicators"]:
            baseline = french_number(indicator["baseline"])
            if indicator["baseline_year"]:
                baseline += f" ({indicator['baseline_year']})"
            targets = (
                ", ".join(f"{t['year']} : {french_number(t['value'])}" for t in indicator["targets"]) or "–"
            )
            last = indicator["values"][-1] if indicator["values"] else None
            measured = f"{french_number(last['value'])} ({last['period']})" if last else "–"
            label = indicator["label"] + (f" ({indicator['unit']})" if indicator["unit"] else "")
            rows.append([label, baseline, targets, measured])
        blocks.append(
            Table(
                ["Indicateur", "Référence", "Cibles", "Dernière valeur"],
                rows,
                caption=f"Indicateurs de l’action {action['code']}",
            )
        )
        history = [
            f"{indicator['label']} – {v['period']} : {french_number(v['value'])}"
            for indicator in action["indicators"]
            for v in indicator["values"][:-1]
        ]
        if history:
            blocks.append(BulletList(history))
    return blocks


def _safe_cell(cell: Any) -> Any:
    """A text a spreadsheet would run as a formula (« =… », « +… », « @… », « -… » that is not a number) gets a
    leading apostrophe; numbers, even negative, stay as they are."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def actions_csv(version: PlanVersion) -> bytes:
    """One row per action (UTF-8 with BOM, comma-separated: opens as is in a spreadsheet)."""
    rows = []
    for axis, objective, action in actions_of(version.snapshot):
        lead = [p["label"] for p in action["pilots"] if p["lead"]]
        rows.append(
            [
                action["code"],
                f"{axis['code']} – {axis['title']}",
                f"{objective['code']} – {objective['title']}",
                action["title"],
                action["status_label"],
                action["progress"],
                action["progress_comment"],
                " ; ".join(p["label"] for p in action["pilots"]),
                " ; ".join(lead),
            ]
        )
    return _csv(ACTION_COLUMNS, rows)


def indicators_csv(version: PlanVersion) -> bytes:
    """One row per indicator and year or period: its targets (`cible`) and measured values (`mesure`)."""
    rows = []
    for _axis, _objective, action in actions_of(version.snapshot):
        for indicator in action["indicators"]:
            common = [
                action["code"],
                action["title"],
                indicator["label"],
                indicator["unit"],
                indicator["source"],
                indicator["baseline"] or "",
                indicator["baseline_year"] or "",
            ]
            for target in indicator["targets"]:
                rows.append([*common, "cible", target["year"], "", target["value"]])
            for value in indicator["values"]:
                rows.append([*common, "mesure", value["period"], value["period_end"], value["value"]])
    return _csv(INDICATOR_COLUMNS, rows)


def plan_json(version: PlanVersion) -> bytes:
    """The whole version: metadata, approvals and the frozen tree."""
    data = {
        "version": version.number,
        "enregistree_le": version.created_at.isoformat(),
        "publiee_le": version.published_at.isoformat() if version.published_at else None,
        "empreinte_sha256": version.sha256,
        "approbations": [
            {"partie": a.party_kind, "nom": a.party_label, "le": a.approved_at.isoformat()}
            for a in version.approvals.all()
        ],
        "plan": version.snapshot,
    }
    # Sorted keys: PostgreSQL (jsonb) hands the snapshot back with its own key order, the bytes must not depend on it.
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
