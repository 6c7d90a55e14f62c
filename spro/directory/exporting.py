"""Exports of the directory: the data·inclusion JSON document and flat CSV files (one line per record).

CSV columns are the data·inclusion field names followed by the SPRO extensions; lists are joined with `|`,
temporary closures are written `debut/fin motif`, booleans `true`/`false`, empty values empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from spro.directory.datainclusion import (
    SERVICE_DI_FIELDS,
    SERVICE_EXTENSIONS,
    STRUCTURE_COMPUTED,
    STRUCTURE_DI_FIELDS,
    STRUCTURE_EXTENSIONS,
    export_document,
)


def data_inclusion_json(today: dt.date | None = None) -> str:
    return json.dumps(export_document(today=today), ensure_ascii=False, indent=1) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(
            f"{item['debut']}/{item['fin']} {item.get('motif', '')}".strip()
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)


def csv_text(kind: str = "structures", today: dt.date | None = None) -> str:
    document = export_document(today=today)
    if kind == "structures":
        columns = [*STRUCTURE_DI_FIELDS, *STRUCTURE_EXTENSIONS, *STRUCTURE_COMPUTED]
    else:
        columns = [*SERVICE_DI_FIELDS, *SERVICE_EXTENSIONS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in document[kind]:
        writer.writerow([_cell(record.get(column)) for column in columns])
    return out.getvalue()
