"""`spro export structures --format data-inclusion|csv [--output FILE]`: the directory, to stdout or a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spro.directory.exporting import csv_text, data_inclusion_json


class Command(BaseCommand):
    help = (
        "Export the directory: `structures` as a data·inclusion v1 document {structures, services} or as CSV; "
        "`services` as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["structures", "services"], help="what to export")
        parser.add_argument(
            "--format", dest="fmt", choices=["data-inclusion", "csv"], default="data-inclusion"
        )
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, what, fmt, output=None, **options):
        if fmt == "data-inclusion":
            if what != "structures":
                raise CommandError(
                    "the data·inclusion document holds services too: use `spro export structures`"
                )
            text = data_inclusion_json()
        else:
            text = csv_text(what)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"{what}: written to {output}")
