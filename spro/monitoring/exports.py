"""Exports of indicator tables (CSV, ODS, XLSX through `spro.core.documents`) and the open data of the public
aggregates (Licence Ouverte 2.0): one long CSV per public computed indicator, with a data dictionary.

Every figure comes from `spro.monitoring.query` with the public scope: already through the suppression.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from spro.core import documents
from spro.core.documents import Sheet
from spro.monitoring import query
from spro.monitoring.declarations import DIMENSIONS, TERRITORY_LEVELS
from spro.monitoring.models import Rollup

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
OPEN_DATA_COLUMNS: list[tuple[str, str]] = [
    ("indicateur", "Code de l’indicateur (voir la liste ci-dessous)."),
    ("mois", "Mois compté, AAAA-MM."),
    ("niveau", "Niveau territorial : ensemble, " + ", ".join(TERRITORY_LEVELS) + "."),
    (
        "code_territoire",
        "Code officiel du territoire (INSEE, SIREN de l’EPCI, code BMO du bassin) ; vide : non renseigné.",
    ),
    ("territoire", "Nom du territoire."),
    ("ventilation", "Dimension de la ventilation (vide : total) : " + ", ".join(DIMENSIONS) + "."),
    ("code_valeur", "Code de la valeur de la ventilation (vide : total)."),
    ("valeur", "Libellé de la valeur."),
    (
        "effectif",
        "Nombre ; « < 5 » pour 1 à 4 ; « masqué » quand un total permettrait de retrouver un petit effectif. "
        "Pour un indicateur mesuré en taux (`satisfaction`), un pourcentage entier (« 83 % »), « < 5 » quand son "
        "numérateur ou son dénominateur est de 1 à 4, vide sans réponse.",
    ),
]


def sheet_of(result: query.Result) -> Sheet:
    """A query's table as one sheet (title: the indicator and the months)."""
    name = f"{result.indicator.code} {result.period.start:%Y-%m}"
    return Sheet(name, result.headers(), result.rows())


def export(result: query.Result, fmt: str) -> bytes:
    """The table in `fmt` (csv, ods or xlsx); ValueError on another format."""
    if fmt not in documents.SPREADSHEET_FORMATS:
        raise ValueError(f"format : valeur attendue parmi {', '.join(documents.SPREADSHEET_FORMATS)}")
    return documents.spreadsheet_bytes([sheet_of(result)], fmt)


def _months(code: str) -> list[dt.date]:
    return sorted(set(Rollup.objects.filter(indicator=code, structure_id=0).values_list("month", flat=True)))


def open_data_rows(code: str) -> list[list]:
    """Every month × level × breakdown table of a public indicator, in long form, suppressed table by table."""
    scope = query.Scope(None, public_only=True)
    indicator = query.indicator_for(code, scope)
    rows: list[list] = []
    for month in _months(code):
        months = query.Period(month, month)
        for level in [None, *indicator.territoires]:
            for breakdown in [None, *indicator.ventilations]:
                result = query.run(code, scope, breakdown=breakdown, level=level, months=months)
                for line in result.lines:
                    where = [level or "ensemble", line.code, line.label if level else ""]
                    for value, label in result.columns:
                        rows.append(
                            [code, f"{month:%Y-%m}", *where, breakdown, value, label, line.cells[value]]
                        )
                    rows.append([code, f"{month:%Y-%m}", *where, "", "", "", line.total])
    return rows


def write_open_data(folder: Path) -> list[Path]:
    """The open data files in `folder`: one CSV per public computed indicator and `dictionnaire.md`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    # The action plan's figures are published by the plan itself (its version's CSV, docs/gouvernance-plan.md).
    published = [
        i
        for i in query.listed(query.Scope(None, public_only=True))
        if i.disponible and i.code not in query.READERS
    ]
    headers = [name for name, _description in OPEN_DATA_COLUMNS]
    for indicator in published:
        path = folder / f"{indicator.code}.csv"
        path.write_bytes(documents.to_csv(Sheet(indicator.code, headers, open_data_rows(indicator.code))))
        written.append(path)
    lines = [
        "# Indicateurs du service public régional de l’orientation : dictionnaire des données",
        "",
        f"Licence : {LICENCE}. Secret statistique : effectifs de 1 à 4 affichés « < 5 », une seconde case "
        "« masqué » quand un total permettrait de les retrouver. Une personne reçue par deux structures compte deux "
        "fois ; une personne peut avoir plusieurs besoins (les besoins ne s’additionnent pas).",
        "",
        "## Colonnes",
        "",
        "| colonne | description |",
        "|---|---|",
        *[f"| `{name}` | {description} |" for name, description in OPEN_DATA_COLUMNS],
        "",
        "## Indicateurs",
        "",
    ]
    for indicator in published:
        lines += [f"### `{indicator.code}` — {indicator.libelle}", "", indicator.definition, ""]
        lines += [
            f"Source : {indicator.source.modele} ({indicator.source.evenement}). "
            f"Responsable : {indicator.proprietaire}.",
            "",
        ]
    dictionary = folder / "dictionnaire.md"
    dictionary.write_text("\n".join(lines), encoding="utf-8")
    return [*written, dictionary]
