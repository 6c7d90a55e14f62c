"""Datasets and the import runner: read → validate → upsert, atomic and idempotent per dataset."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction

from spro.referentials.importing.errors import ImportFailure, ImportWarning
from spro.referentials.importing.readers import Row, read_csv, read_json
from spro.referentials.importing.sync import Counts, sync_model

MAX_WARNINGS_KEPT = 200


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


class Dataset:
    """One official referential, imported as a unit.

    Subclasses set the class attributes and implement `load(ctx)`. `files` maps a role to the built-in file name
    under `data/<folder>/`; `spro import <name> PATH` accepts either one file (for the `main_file` role) or a folder
    holding files with the official names (gzip optional).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    folder: ClassVar[str]
    files: ClassVar[dict[str, str]]
    main_file: ClassVar[str | None] = None
    depends_on: ClassVar[tuple[str, ...]] = ()
    publisher: ClassVar[str] = ""
    licence: ClassVar[str] = ""
    version: ClassVar[str] = ""
    attribution: ClassVar[str] = ""

    def load(self, ctx: ImportContext) -> None:
        raise NotImplementedError

    @classmethod
    def builtin_dir(cls) -> Path:
        return Path(settings.DATA_DIR) / cls.folder

    @classmethod
    def resolve_paths(cls, path: Path | None = None) -> dict[str, Path]:
        """Map each file role to a real path: built-in by default, or from the user's file or folder."""
        base = cls.builtin_dir()
        resolved: dict[str, Path] = {}
        if path is not None:
            path = Path(path)
            if not path.exists():
                raise ImportFailure("file or folder not found", source=path)
            if path.is_file():
                if cls.main_file is None:
                    raise ImportFailure(
                        f"dataset {cls.name!r} reads several files: give a folder holding "
                        f"{', '.join(sorted(cls.files.values()))}",
                        source=path,
                    )
                resolved[cls.main_file] = path
        for role, filename in cls.files.items():
            if role in resolved:
                continue
            folders = [path] if path is not None and path.is_dir() else []
            folders.append(base)
            for folder in folders:
                for candidate in (
                    folder / filename,
                    folder / f"{filename}.gz",
                    folder / filename.removesuffix(".gz"),
                ):
                    if candidate.exists():
                        resolved[role] = candidate
                        break
                if role in resolved:
                    break
            else:
                raise ImportFailure(f"file {filename} not found in {folders[0]}")
        return resolved


@dataclass
class ModelReport:
    label: str
    counts: Counts


@dataclass
class DatasetReport:
    name: str
    status: str = "pending"  # success | failed | dry-run | skipped
    models: list[ModelReport] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    warning_count: int = 0
    error: str = ""
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)

    @property
    def totals(self) -> Counts:
        total = Counts()
        for item in self.models:
            total.add(item.counts)
        return total


class ImportContext:
    """What a dataset's `load` uses: its files, typed readers, warnings, progress and `sync`."""

    def __init__(
        self,
        dataset: Dataset,
        paths: dict[str, Path],
        report: DatasetReport,
        *,
        progress: Callable[[str, int, int], None] | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.dataset = dataset
        self.paths = paths
        self.report = report
        self._progress = progress
        self._log = log

    def path(self, role: str) -> Path:
        return self.paths[role]

    def csv(self, role: str, **kwargs: Any) -> Iterator[Row]:
        path = self.paths[role]
        label = path.name

        def progress(done: int, total: int) -> None:
            self.progress(label, done, total)

        return read_csv(path, progress=progress, **kwargs)

    def json(self, role: str) -> Any:
        return read_json(self.paths[role])

    def warn(
        self,
        message: str,
        *,
        row: Row | None = None,
        field: str | None = None,
        source: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        if row is not None:
            source, line = row.source, row.line
        self.report.warning_count += 1
        if len(self.report.warnings) < MAX_WARNINGS_KEPT:
            self.report.warnings.append(
                ImportWarning(message, source=str(source) if source else None, line=line, field=field)
            )

    def reject(self, model: type[models.Model], message: str, **where: Any) -> None:
        """A record skipped with a warning: counted as rejected for `model`."""
        self.warn(message, **where)
        self.counts(model).rejected += 1

    def log(self, message: str) -> None:
        if self._log:
            self._log(message)

    def progress(self, label: str, done: int, total: int) -> None:
        """Report how far the import is in one file (bytes or rows), for the command's progress bar."""
        if self._progress:
            self._progress(label, done, total)

    def counts(self, model: type[models.Model]) -> Counts:
        """The report's counts of `model`, for a dataset that writes rows itself (bulk inserts, retirements)
        rather than through `sync`: add to them what it created, left unchanged or retired."""
        for item in self.report.models:
            if item.label == model._meta.label:
                return item.counts
        item = ModelReport(model._meta.label, Counts())
        self.report.models.append(item)
        return item.counts

    def sync(self, model: type[models.Model], records: dict[Any, dict[str, Any]], **kwargs: Any) -> Counts:
        counts = sync_model(model, records, log=self.log, **kwargs)
        self.counts(model).add(counts)
        return counts


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_dataset(
    dataset: Dataset,
    *,
    path: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> DatasetReport:
    """Import one dataset in one transaction. Any error rolls everything back; the report says why."""
    from spro.referentials.models import ImportRun

    report = DatasetReport(dataset.name)
    started = time.perf_counter()
    run = None
    try:
        paths = dataset.resolve_paths(path)
        report.files = {role: str(p) for role, p in paths.items()}
        run = ImportRun(
            dataset=dataset.name,
            dry_run=dry_run,
            files={role: {"name": p.name, "sha256": file_digest(p)} for role, p in paths.items()},
        )
        ctx = ImportContext(dataset, paths, report, progress=progress, log=log)
        with transaction.atomic():
            dataset.load(ctx)
            if dry_run:
                raise DryRunRollback
        report.status = "success"
    except DryRunRollback:
        report.status = "dry-run"
    except ImportFailure as exc:
        report.status = "failed"
        report.error = str(exc)
    except Exception as exc:
        # A defect rather than a bad file: the data is rolled back all the same, the failed run is recorded, and the
        # traceback still reaches the operator.
        report.status = "failed"
        report.error = f"unexpected error: {type(exc).__name__}: {exc}"
        _record_run(run, report, started)
        raise
    _record_run(run, report, started)
    return report


def _record_run(run: Any, report: DatasetReport, started: float) -> None:
    report.seconds = time.perf_counter() - started
    if run is not None:
        run.status = report.status
        run.counts = {m.label: m.counts.as_dict() for m in report.models}
        run.warning_count = report.warning_count
        run.error = report.error
        run.seconds = round(report.seconds, 3)
        run.save()
