"""What the « decrochage-issues » rollups cost the dropout list import (docs/pilotage.md): a list of `--known` young
people imported (campaign 2026-09, the import recomputes the campaign's rollups in its transaction), then, in the
same run, the recomputation alone and the per-zone tables of `spro.dropouts.indicators.compute` (the baseline: the
same facts read for the page), each timed.

    DATABASE_URL=<fresh migrated database> .venv/bin/python bench/monitoring/dropouts_rollups.py [--known 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--known", type=int, default=20_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    from bench.dropouts.bench import known_rows, write
    from spro.dropouts import indicators
    from spro.dropouts.importing import import_list
    from spro.dropouts.models import Campaign
    from spro.monitoring.models import Rollup
    from spro.monitoring.sources import dropouts as source

    work = ROOT / "bench" / "out" / "dropouts-rollups"
    work.mkdir(parents=True, exist_ok=True)
    path = work / "known.csv"
    lines = write(path, known_rows(args.known))
    report: dict = {"vendor": connection.vendor, "lines": lines}
    t = time.perf_counter()
    import_list(path, "2026-09")
    report["import_with_rollups_s"] = round(time.perf_counter() - t, 2)
    campaign = Campaign.objects.get(code="2026-09")
    t = time.perf_counter()
    with transaction.atomic():
        source.recompute([campaign])
    report["recompute_s"] = round(time.perf_counter() - t, 2)
    report["rollup_rows"] = Rollup.objects.filter(indicator=source.INDICATOR).count()
    t = time.perf_counter()
    indicators.compute(campaign, None, with_no_zone=True)
    report["page_tables_s"] = round(time.perf_counter() - t, 2)
    report["recompute_over_import"] = round(report["recompute_s"] / report["import_with_rollups_s"], 2)
    report["recompute_over_page_tables"] = round(report["recompute_s"] / report["page_tables_s"], 2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
