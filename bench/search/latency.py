"""In-process search latency (p50/p95) on the current DATABASE_URL, as a ratio to the `icontains` baseline.

Queries: the relevance set plus common.TYPICAL_QUERIES, each run once to warm up, then --rounds times through
`spro.search.service.search` and through the baseline of common.py, interleaved in the same run (so a busy
machine slows both alike). Writes bench/out/search-latency-<vendor>.json. Target (issue 3): p95 <= 20 ms.

    DATABASE_URL=... .venv/bin/python bench/search/latency.py [--rounds 3] [--smoke]

`--smoke`: one round of common.SMOKE_QUERIES queries (the test suite's run; figures meaningless).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# bench/search must not be on sys.path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent.parent))


from bench.search import common  # noqa: E402

TARGET_P95_MS = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one round of a few queries (test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.rounds = 1
    common.setup_django()
    from django.apps import apps

    from spro.search.params import InvalidQuery
    from spro.search.service import search

    vendor = common.backend_name()
    queries = [(item["q"], item["type"]) for item in common.load_relevance()]
    queries += [(q, None) for q in common.TYPICAL_QUERIES]
    if args.smoke:
        queries = queries[: common.SMOKE_QUERIES]

    def engine(q: str, type_: str | None) -> None:
        with contextlib.suppress(InvalidQuery):
            search(q, type=type_, par_page=10)

    def baseline(q: str, type_: str | None) -> None:
        common.baseline_search(q, type=type_)

    for q, type_ in queries:  # warm-up: caches, vocabulary, prepared statements
        engine(q, type_)
        baseline(q, type_)
    timings: dict[str, list[float]] = {"engine": [], "baseline": []}
    slowest: list[tuple[float, str]] = []
    for _ in range(args.rounds):
        for q, type_ in queries:
            for name, func in (("engine", engine), ("baseline", baseline)):
                started = time.perf_counter()
                func(q, type_)
                elapsed = (time.perf_counter() - started) * 1000
                timings[name].append(elapsed)
                if name == "engine":
                    slowest.append((elapsed, q))
    stats = {
        name: {
            "p50_ms": round(common.percentile(values, 50), 2),
            "p95_ms": round(common.percentile(values, 95), 2),
            "max_ms": round(max(values), 2),
            "calls": len(values),
        }
        for name, values in timings.items()
    }
    offers = apps.get_model("offers", "Formation").objects.count()
    index = apps.get_model("search", "SearchDocument").objects.count()
    result = {
        "benchmark": "search-latency",
        "smoke": args.smoke,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "queries": len(queries),
        "rounds": args.rounds,
        "offers_in_database": offers,
        "index_documents": index,
        "engine": stats["engine"],
        "baseline_icontains": stats["baseline"],
        "ratio_p50": round(stats["engine"]["p50_ms"] / stats["baseline"]["p50_ms"], 2),
        "ratio_p95": round(stats["engine"]["p95_ms"] / stats["baseline"]["p95_ms"], 2),
        "target_p95_ms": TARGET_P95_MS,
        "slowest_engine_queries": [
            {"q": q, "ms": round(ms, 1)} for ms, q in sorted(slowest, reverse=True)[:10]
        ],
    }
    path = common.write_json(f"search-latency-{vendor}.json", result)
    e, b = stats["engine"], stats["baseline"]
    print(f"latency on {vendor} ({index} index documents, {offers} offers) -> {path}")
    print(f"  engine   p50 {e['p50_ms']:7.2f} ms  p95 {e['p95_ms']:7.2f} ms")
    print(f"  icontains p50 {b['p50_ms']:6.2f} ms  p95 {b['p95_ms']:7.2f} ms")
    print(f"  ratio    p50 {result['ratio_p50']:7.2f}     p95 {result['ratio_p95']:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
