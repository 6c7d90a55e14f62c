"""`spro harvest structures --url URL --token-env VAR [--output FILE] [--no-import]`: pull the data·inclusion API.

The pages are gathered into one data·inclusion document, written to FILE (default under var/harvest/), then imported
with the `structures` dataset (atomic: a bad record rejects the whole harvest, nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from spro.directory.harvest import Harvester, HarvestError
from spro.directory.importers import StructuresDataset
from spro.referentials.importing import run_dataset


class Command(BaseCommand):
    help = "Harvest the data·inclusion API (paginated JSON) into the directory."

    #: Replaced by tests with a fake transport (recorded pages): no network in tests.
    transport = None

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["structures"])
        parser.add_argument(
            "--url", required=True, help="API base, e.g. https://api.data.inclusion.gouv.fr/api/v1"
        )
        parser.add_argument("--token-env", help="name of the environment variable that holds the API token")
        parser.add_argument("--output", type=Path, help="where to write the harvested document")
        parser.add_argument("--no-import", action="store_true", help="only write the document")
        parser.add_argument("--page-size", type=int, default=1000)
        parser.add_argument("--timeout", type=float, default=30.0)
        parser.add_argument("--retries", type=int, default=4)

    def handle(self, *args, what, url, token_env=None, output=None, no_import=False, **options):
        token = None
        if token_env:
            token = os.environ.get(token_env)
            if not token:
                raise CommandError(f"environment variable {token_env} is empty or not set")
        kwargs = {"transport": self.transport} if self.transport is not None else {}
        harvester = Harvester(
            url,
            token=token,
            timeout=options["timeout"],
            retries=options["retries"],
            page_size=options["page_size"],
            log=(lambda m: self.stderr.write(m)) if options.get("verbosity", 1) >= 2 else None,
            **kwargs,
        )
        try:
            document = harvester.harvest()
        except HarvestError as exc:
            raise CommandError(f"harvest failed, nothing written: {exc}") from None
        if output is None:
            output = Path(settings.VAR_DIR) / "harvest" / f"data-inclusion-{dt.date.today().isoformat()}.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(
            f"{len(document['structures'])} structures, {len(document['services'])} services "
            f"({harvester.requests} requests) → {output}"
        )
        if no_import:
            return
        report = run_dataset(StructuresDataset(), path=output)
        if report.status != "success":
            raise CommandError(f"import failed, nothing written: {report.error}")
        names = {
            "directory.Structure": "structures",
            "directory.Service": "services",
            "directory.ZoneCompetence": "zones",
        }
        parts = [
            f"{names.get(m.label, m.label)} {m.counts.created} created, {m.counts.updated} updated, "
            f"{m.counts.unchanged} unchanged, {m.counts.retired} retired"
            for m in report.models
        ]
        self.stdout.write(f"import: {'; '.join(parts)}; {report.warning_count} warnings")
