"""`spro etat import` and the import page: a State figures file validated whole (`reading.read_file`), then written
in one transaction (docs/donnees-etat.md).

Idempotent: a line whose value and source are already stored is `inchangée`; a line for a stored key with another
value replaces it and records a `Replacement` (old value, old run). An accepted file is one `ImportRun` (file name,
SHA-256, counts, who) and one audit event; a rejected file writes nothing at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from spro import audit
from spro.statedata.models import ImportRun, Replacement, StateFigure
from spro.statedata.reading import ImportRejected, LineError, Row, file_sha256, read_file

__all__ = ["ImportRejected", "ImportResult", "import_file"]

#: Rows written per query, and territory codes per lookup query.
BATCH = 500


@dataclass
class ImportResult:
    lignes: int = 0
    creees: int = 0
    remplacees: int = 0
    inchangees: int = 0
    erreurs: list[LineError] = field(default_factory=list)
    run_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "lignes": self.lignes,
            "creees": self.creees,
            "remplacees": self.remplacees,
            "inchangees": self.inchangees,
            "erreurs": [asdict(error) for error in self.erreurs],
            "import": self.run_id,
        }


def _existing(rows: list[Row]) -> dict[tuple[str, str, str, str, str], StateFigure]:
    """The stored figures of the file's keys, locked until the end of the transaction: one query per batch of
    territory codes instead of one per line."""
    codes = sorted({row.territory_code for row in rows})
    periods = sorted({row.period for row in rows})
    found: dict[tuple[str, str, str, str, str], StateFigure] = {}
    for start in range(0, len(codes), BATCH):
        for figure in StateFigure.objects.select_for_update().filter(
            territory_code__in=codes[start : start + BATCH], period__in=periods
        ):
            found[
                (
                    figure.service,
                    figure.period,
                    figure.territory_level,
                    figure.territory_code,
                    figure.indicator,
                )
            ] = figure
    return found


def import_file(path: Path, *, user: Any = None, file_name: str = "") -> ImportResult:
    """Validate the whole file, then write it atomically; raises `ImportRejected` (nothing written)."""
    rows = read_file(path)
    result = ImportResult(lignes=len(rows))
    now = timezone.now()
    with transaction.atomic():
        run = ImportRun.objects.create(
            file_name=(file_name or path.name)[:255],
            sha256=file_sha256(path),
            imported_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
            lines=len(rows),
        )
        existing = _existing(rows)
        created: list[StateFigure] = []
        replaced: list[StateFigure] = []
        replacements: list[Replacement] = []
        for row in rows:
            figure = existing.get(row.key)
            if figure is None:
                service, period, level, code, indicator = row.key
                created.append(
                    StateFigure(
                        service=service,
                        period=period,
                        territory_level=level,
                        territory_code=code,
                        indicator=indicator,
                        value=row.value,
                        source=row.source,
                        run=run,
                    )
                )
            elif figure.value == row.value and figure.source == row.source:
                result.inchangees += 1
            else:
                replacements.append(
                    Replacement(
                        figure=figure,
                        run=run,
                        previous_value=figure.value,
                        new_value=row.value,
                        previous_source=figure.source,
                        previous_run_id=figure.run_id,
                    )
                )
                figure.value, figure.source, figure.run = row.value, row.source, run
                figure.updated_at = now
                replaced.append(figure)
        StateFigure.objects.bulk_create(created, batch_size=BATCH)
        StateFigure.objects.bulk_update(replaced, ["value", "source", "run", "updated_at"], batch_size=BATCH)
        Replacement.objects.bulk_create(replacements, batch_size=BATCH)
        result.creees, result.remplacees = len(created), len(replaced)
        run.created, run.replaced, run.unchanged = result.creees, result.remplacees, result.inchangees
        run.save(update_fields=["created", "replaced", "unchanged"])
        audit.record(
            user,
            "statedata.import",
            run,
            detail=f"{run.file_name} : {result.creees} créée(s), {result.remplacees} remplacée(s), "
            f"{result.inchangees} inchangée(s)",
        )
    result.run_id = run.pk
    return result
