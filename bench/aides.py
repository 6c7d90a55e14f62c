"""Aids benchmark (issue 15 part 3): `evaluate` for one profile over the whole catalogue, p95 against a naive
baseline measured in the same run (these machines are shared, so only ratios within one run compare).

    DATABASE_URL=... .venv/bin/python bench/aides.py [--profiles 2000] [--smoke]

Needs a migrated database; with the geo referential imported (bench/aides.sh prepares one per backend) the profiles
carry a commune, so each evaluation also reads the commune's territory (one primary-key query).
- engine: `spro.aides.service.aides_for(situation(...))` — the catalogue in service (parsed once, kept per process
  and checked by file modification times), the commune's territory, every scheme evaluated;
- baseline: the naive way, the catalogue read and validated from its YAML files for every profile
  (`catalogue.build`, no cache), then the same evaluation, interleaved with the engine's calls; both give the
  same results (checked). `--baseline-every N` runs it on one profile in N (it took ~0.5 s a call before the
  files were parsed once with libyaml, 7a3dcca; ~10 ms since).
Profiles are random (deterministic seed): age 14–64 or unknown, every statut or unknown, disability yes/no/unknown,
diploma level or unknown, a random commune in force or none. Prints one JSON object, also written to
bench/out/aides-<vendor>.json (or under $SPRO_BENCH_OUT). `--smoke`: a few profiles (the test suite's run).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

SMOKE_PROFILES = 5


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(values, 50), 3),
        "p95_ms": round(percentile(values, 95), 3),
        "max_ms": round(max(values), 3),
        "mean_ms": round(statistics.fmean(values), 3),
        "calls": len(values),
    }


def profiles(count: int, communes: list[str], rng: random.Random) -> list[dict]:
    from spro.aides.catalogue import NIVEAUX
    from spro.core.vocabularies.statuts import KNOWN_STATUTS

    rows = []
    for _ in range(count):
        rows.append(
            {
                "age": rng.choice([None, *range(14, 65)]),
                "statut": rng.choice([None, *KNOWN_STATUTS]),
                "handicap": rng.choice([None, True, False]),
                "niveau": rng.choice([None, *NIVEAUX]),
                "commune": rng.choice([None, *communes]) if communes else None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument(
        "--baseline-every",
        type=int,
        default=10,
        help="the baseline on one profile in N (it takes ~0.5 s a call)",
    )
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    count = SMOKE_PROFILES if args.smoke else args.profiles

    import django

    django.setup()
    from django.db import connection

    from spro.aides import catalogue
    from spro.aides.evaluation import evaluate
    from spro.aides.service import aides_for, situation
    from spro.referentials.geo.models import Commune

    rng = random.Random(15)
    communes = list(
        Commune.objects.filter(is_active=True).values_list("code_insee", flat=True).order_by("pk")
    )
    rows = profiles(count, communes, rng)
    national, region = catalogue.NATIONAL_DIRECTORY, catalogue.region_directory()
    schemes = len(catalogue.load().dispositifs)  # the first load, outside the measure (a worker's warm-up)

    engine, baseline, found_engine, found_baseline, found_engine_on_baseline_rows = [], [], 0, 0, 0
    every = 1 if args.smoke else max(1, args.baseline_every)
    for number, row in enumerate(rows):  # interleaved, so that both see the same machine load
        gc.collect()  # the baseline's garbage must not be collected inside an engine call (nor the reverse)
        start = time.perf_counter()
        found_engine += len(aides_for(situation(**row)))
        engine.append((time.perf_counter() - start) * 1000)
        if number % every:
            continue
        found_engine_on_baseline_rows += len(aides_for(situation(**row)))
        gc.collect()
        start = time.perf_counter()
        naive = catalogue.build(national, region)
        found_baseline += len(evaluate(situation(**row), naive))
        baseline.append((time.perf_counter() - start) * 1000)
    assert found_engine_on_baseline_rows == found_baseline, "the engine and the baseline must agree"

    report = {
        "benchmark": "aides",
        "database": connection.vendor,
        "smoke": args.smoke,
        "schemes": schemes,
        "communes_in_referential": len(communes),
        "profiles": count,
        "baseline_every": every,
        "results_per_profile": round(found_engine / max(count, 1), 2),
        "engine": summary(engine),
        "baseline_parse_every_call": summary(baseline),
    }
    report["ratio_p95_engine_to_baseline"] = round(
        report["engine"]["p95_ms"] / max(report["baseline_parse_every_call"]["p95_ms"], 1e-9), 4
    )
    out = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (out / f"aides-{connection.vendor}.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
