"""Interest explorer benchmark (issue 15): questionnaire scoring + ranking p95, beside a naive baseline measured in
the same run (these machines are shared, so only same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/explorer.py [--profiles 500] [--smoke]

Needs a migrated database with ROME 4.0 imported (certifications and tension make the results richer but do not
change the cost). Measured, after one warm-up (the per-process referential, as a worker builds it at start):
- `product`: `compute_profile` + `rank` (20 métiers, one per family) — numpy matrix of the 1,584 fiches;
- `baseline`: the same formula written naively — per fiche, Python dicts, both cosines computed in a loop, all
  fiches sorted — which is what one would write without the precomputed unit vectors;
- `page`: the whole `/explorer/resultats?…` request through Django's test client (form, ranking, reasons,
  template), with the referential's freshness query.
The product and the baseline must give the same top 20 for every profile (checked; a mismatch exits 1).
Prints one JSON object (also written to bench/out/explorer-<vendor>.json, or under $SPRO_BENCH_OUT).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import percentile, summary  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def random_answers(rng: random.Random, item_ids: list[int]) -> dict[int, int]:
    """A person who answers between 5 and all the items, values 0–3 (likes skewed low, as most people's)."""
    chosen = rng.sample(item_ids, rng.randint(5, len(item_ids)))
    return {i: rng.choices([0, 1, 2, 3], weights=[4, 3, 2, 2])[0] for i in chosen}


def naive_rank(answers, questionnaire, rows, limit: int = 20) -> list[str]:
    """The formula without precomputation: profile by loops, each fiche's vectors and cosines built per call."""
    top = questionnaire.top
    r_sum, r_n, c_sum, c_n = {}, {}, {}, {}
    for item in questionnaire.items:
        if item.id in answers:
            for letter in item.riasec:
                r_sum[letter] = r_sum.get(letter, 0) + answers[item.id]
                r_n[letter] = r_n.get(letter, 0) + 1
            for c in item.centres:
                c_sum[c] = c_sum.get(c, 0) + answers[item.id]
                c_n[c] = c_n.get(c, 0) + 1
    p_r = {k: r_sum[k] / (top * r_n[k]) for k in r_sum}
    p_c = {k: c_sum[k] / (top * c_n[k]) for k in c_sum}
    norm_r = math.sqrt(sum(v * v for v in p_r.values()))
    norm_c = math.sqrt(sum(v * v for v in p_c.values()))
    if not norm_r and not norm_c:
        return []
    scored = []
    for row in rows:
        f_r = {letter: (1.0 if i == 0 else 0.5) for i, letter in enumerate(row.riasec[:2])}
        f_c = {c: (1.0 if p else 0.5) for c, p in row.centres}
        nf_r = math.sqrt(sum(v * v for v in f_r.values()))
        nf_c = math.sqrt(sum(v * v for v in f_c.values()))
        cos_r = sum(p_r.get(k, 0) * v for k, v in f_r.items()) / (norm_r * nf_r) if norm_r and nf_r else 0.0
        cos_c = sum(p_c.get(k, 0) * v for k, v in f_c.items()) / (norm_c * nf_c) if norm_c and nf_c else 0.0
        scored.append((0.5 * cos_r + 0.5 * cos_c, row))
    scored.sort(key=lambda item: (-round(item[0], 12), item[1].code))
    out, families = [], set()
    for score, row in scored:
        if score <= 0 or len(out) >= limit:
            break
        if (row.parent or row.code) not in families:
            families.add(row.parent or row.code)
            out.append(row.code)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--smoke", action="store_true", help="tiny run, figures meaningless")
    args = parser.parse_args()
    profiles = 5 if args.smoke else args.profiles

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from spro.explorer.questionnaire import get_questionnaire
    from spro.explorer.referential import get_referential
    from spro.explorer.scoring import compute_profile, rank

    setup_test_environment()  # the test client's host checks
    questionnaire = get_questionnaire()
    started = time.perf_counter()
    referential = get_referential()
    build_ms = (time.perf_counter() - started) * 1000
    rows = referential.matrix.rows
    rng = random.Random(15)
    item_ids = [item.id for item in questionnaire.items]
    people = [random_answers(rng, item_ids) for _ in range(profiles)]
    product, baseline, page = [], [], []
    mismatches = 0
    client = Client()
    for answers in people:
        t = time.perf_counter()
        ranked = rank(compute_profile(answers, questionnaire), get_referential().matrix)
        product.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        naive = naive_rank(answers, questionnaire, rows)
        baseline.append((time.perf_counter() - t) * 1000)
        mismatches += [r.row.code for r in ranked] != naive
        query = "&".join(f"r{k}={v}" for k, v in sorted(answers.items()))
        t = time.perf_counter()
        response = client.get(f"/explorer/resultats?{query}")
        page.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    result = {
        "benchmark": "explorer",
        "smoke": args.smoke,
        "date": dt.date.today().isoformat(),
        "vendor": connection.vendor,
        "fiches": len(rows),
        "items": len(item_ids),
        "profiles": profiles,
        "referential_build_ms": round(build_ms, 1),
        "product": summary(product),
        "baseline": summary(baseline),
        "page": summary(page),
        "ratio_p95_baseline_over_product": round(
            percentile(baseline, 95) / max(percentile(product, 95), 1e-9), 1
        ),
        "same_top20": mismatches == 0,
        "mismatches": mismatches,
    }
    out_dir = Path(os.environ.get("SPRO_BENCH_OUT", ROOT / "bench" / "out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"explorer-{connection.vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
