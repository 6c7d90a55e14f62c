"""`spro import all | <dataset> [PATH]`: import the official referentials, atomically per dataset."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from spro.referentials.importing import ImportFailure, run_dataset
from spro.referentials.importing.registry import all_datasets, in_dependency_order
from spro.referentials.models import ImportRun
from spro.referentials.signals import referentials_imported


class Command(BaseCommand):
    help = "Import the built-in official referentials (all) or one dataset, optionally from PATH."

    def add_arguments(self, parser):
        parser.add_argument("dataset", nargs="?", help="'all', or one of the datasets (see --list)")
        parser.add_argument("path", nargs="?", type=Path, help="a file or a folder of official files")
        parser.add_argument("--dry-run", action="store_true", help="read, validate and count; write nothing")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only the datasets never imported successfully (used by `make run`)",
        )
        parser.add_argument("--list", action="store_true", help="list the datasets and exit")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self,
        *args,
        dataset=None,
        path=None,
        dry_run=False,
        if_empty=False,
        list=False,
        no_progress=False,
        verbosity=1,
        **options,
    ):
        datasets = all_datasets()
        console = Console(
            file=self.stdout._out, highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120
        )
        if list:
            for name, cls in datasets.items():
                console.print(f"{name:16} {cls.title} ({cls.licence})")
            return
        if not dataset:
            raise CommandError(f"name a dataset: all, {', '.join(datasets)}")
        if dataset == "all":
            if path is not None:
                raise CommandError("PATH is only accepted with a single dataset")
            names = None
        elif dataset in datasets:
            names = [dataset]
        else:
            raise CommandError(f"unknown dataset {dataset!r}; expected all, {', '.join(datasets)}")

        selected = in_dependency_order(names) if names is None else [datasets[dataset]]
        if names is not None:
            imported = set(
                ImportRun.objects.filter(status=ImportRun.Status.SUCCESS).values_list("dataset", flat=True)
            )
            missing = [dep for dep in datasets[dataset].depends_on if dep not in imported]
            if missing:
                raise CommandError(
                    f"dataset {dataset!r} links to {', '.join(missing)}: import "
                    f"{' and '.join(missing)} first (or run `spro import all`)"
                )
        if if_empty:
            done = set(
                ImportRun.objects.filter(status=ImportRun.Status.SUCCESS).values_list("dataset", flat=True)
            )
            selected = [cls for cls in selected if cls.name not in done]
            if not selected:
                console.print("Référentiels déjà importés : rien à faire.")
                if dataset == "all" and not dry_run:
                    _notify_imported(console, changed=False, only_if_missing=True)
                return

        show_progress = not no_progress and verbosity >= 1 and sys.stderr.isatty()
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            disable=not show_progress,
        )
        tasks: dict[str, int] = {}

        def on_progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done)

        def on_log(message: str) -> None:
            if verbosity >= 2:
                self.stderr.write(message)
                self.stderr.flush()

        reports = []
        failed: set[str] = set()
        with progress:
            for cls in selected:
                missing = [dep for dep in cls.depends_on if dep in failed]
                if missing:
                    self.stderr.write(f"{cls.name}: skipped, because {', '.join(missing)} failed")
                    failed.add(cls.name)
                    continue
                try:
                    report = run_dataset(cls(), path=path, dry_run=dry_run, progress=on_progress, log=on_log)
                except ImportFailure as exc:  # pragma: no cover - run_dataset reports failures itself
                    raise CommandError(str(exc)) from exc
                reports.append(report)
                if report.status == "failed":
                    failed.add(cls.name)

        self._summary(console, reports, verbosity)
        if failed:
            errors = "; ".join(f"{r.name}: {r.error}" for r in reports if r.status == "failed")
            raise CommandError(f"import failed, nothing written for the failed dataset(s). {errors}")
        if dataset == "all" and not dry_run:
            _notify_imported(console, changed=any(r.totals.changes for r in reports))

    def _summary(self, console: Console, reports, verbosity: int) -> None:
        table = Table(title="Import des référentiels", show_lines=False)
        for column in (
            "jeu de données",
            "statut",
            "créés",
            "modifiés",
            "inchangés",
            "rejetés",
            "retirés",
            "avert.",
            "durée",
        ):
            table.add_column(
                column, justify="right" if column not in ("jeu de données", "statut") else "left"
            )
        grand_changes = 0
        for report in reports:
            totals = report.totals
            grand_changes += totals.changes if report.status == "success" else 0
            table.add_row(
                report.name,
                report.status,
                str(totals.created),
                str(totals.updated),
                str(totals.unchanged),
                str(totals.rejected),
                str(totals.retired + totals.deleted),
                str(report.warning_count),
                f"{report.seconds:.1f} s",
            )
            if verbosity >= 2:
                for item in report.models:
                    c = item.counts
                    table.add_row(
                        f"  {item.label}",
                        "",
                        str(c.created),
                        str(c.updated),
                        str(c.unchanged),
                        str(c.rejected),
                        str(c.retired + c.deleted),
                        "",
                        "",
                    )
        console.print(table)
        for report in reports:
            shown = report.warnings[: 10 if verbosity < 2 else len(report.warnings)]
            for warning in shown:
                console.print(f"[avertissement] {report.name}: {warning}", markup=False)
            if report.warning_count > len(shown):
                console.print(
                    f"[avertissement] {report.name}: … and {report.warning_count - len(shown)} more "
                    f"(use -v 2 to list them)",
                    markup=False,
                )
        console.print(f"Changements écrits : {grand_changes}", markup=False)


def _notify_imported(console: Console, *, changed: bool, only_if_missing: bool = False) -> None:
    """After a successful `import all`, tell the apps built on the referentials (the search index rebuilds itself,
    spro.search.indexing.refresh_after_import) and print what they answer."""
    for _receiver, message in referentials_imported.send(
        sender=Command, changed=changed, only_if_missing=only_if_missing
    ):
        if message:
            console.print(message, markup=False)
