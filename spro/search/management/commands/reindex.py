"""`spro reindex`: rebuild the search index from the referentials, atomically."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from spro.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (métiers, formations, certifications) from the imported referentials."

    def handle(self, *args, verbosity=1, **options):
        build = rebuild_index()
        if verbosity >= 1:
            counts = ", ".join(f"{k}: {v}" for k, v in build.counts.items() if not k.startswith("avg_"))
            self.stdout.write(
                f"Index de recherche reconstruit : {build.documents} documents ({counts}) en {build.seconds} s"
            )
