"""Relevance of the search on bench/search/relevance.jsonl: nDCG@10 and success@3, engine vs `icontains`.

Runs every query of the set through `spro.search.service.search` on the current DATABASE_URL and through the
`icontains` baseline of common.py in the same run; prints a table (overall and per category) and writes
bench/out/search-relevance-<vendor>.json with the per-query top 3 of both, to read the failures.

    DATABASE_URL=... .venv/bin/python bench/search/evaluate.py [--relevance FILE] [--fail-under] [--smoke]

`--smoke`: the first common.SMOKE_QUERIES queries only (the test suite's run; figures meaningless).

success@3 = a judged item of grade >= 2 in the first three results; nDCG@10 uses gains 2^grade - 1.
Targets (issue 3): success@3 >= 0.9 and nDCG@10 >= 0.8.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# bench/search must not be on sys.path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent.parent))

from bench.search import common  # noqa: E402

TARGET_SUCCESS, TARGET_NDCG = 0.9, 0.8


def engine_keys(q: str, type_: str | None) -> tuple[list[str], str | None]:
    from spro.search.params import InvalidQuery
    from spro.search.service import search

    try:
        response = search(q, type=type_, par_page=10)
    except InvalidQuery as exc:
        return [], f"InvalidQuery: {exc}"
    return [f"{hit.type}:{hit.code}" for hit in response.resultats], None


def baseline_keys(q: str, type_: str | None) -> list[str]:
    return [f"{hit.type}:{hit.code}" for hit in common.baseline_search(q, type=type_)]


def summarise(rows: list[dict], system: str) -> dict:
    overall = {"ndcg@10": 0.0, "success@3": 0.0, "queries": len(rows)}
    per_cat: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        per_cat[row["category"]].append(row)
    for metric in ("ndcg@10", "success@3"):
        overall[metric] = round(sum(r[system][metric] for r in rows) / len(rows), 4) if rows else 0.0
    categories = {
        cat: {
            "queries": len(items),
            "ndcg@10": round(sum(r[system]["ndcg@10"] for r in items) / len(items), 4),
            "success@3": round(sum(r[system]["success@3"] for r in items) / len(items), 4),
        }
        for cat, items in sorted(per_cat.items())
    }
    return {"overall": overall, "categories": categories}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relevance", type=Path, default=common.RELEVANCE)
    parser.add_argument("--fail-under", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--smoke", action="store_true", help="a few queries only (test suite)")
    args = parser.parse_args()
    common.setup_django()
    vendor = common.backend_name()
    queries = common.load_relevance(args.relevance)
    if args.smoke:
        queries = queries[: common.SMOKE_QUERIES]
    rows, errors = [], []
    started = time.perf_counter()
    for item in queries:
        judgments = item["judgments"]
        try:
            keys, problem = engine_keys(item["q"], item["type"])
        except Exception as exc:  # a crash is a result to report, not a reason to stop
            keys, problem = [], f"{type(exc).__name__}: {exc}"
        if problem:
            errors.append({"q": item["q"], "error": problem})
        base = baseline_keys(item["q"], item["type"])
        rows.append(
            {
                "q": item["q"],
                "type": item["type"],
                "category": item["category"],
                "engine": {
                    "ndcg@10": common.ndcg_at(keys, judgments),
                    "success@3": common.success_at(keys, judgments),
                    "top3": [(key, judgments.get(key, 0)) for key in keys[:3]],
                },
                "baseline": {
                    "ndcg@10": common.ndcg_at(base, judgments),
                    "success@3": common.success_at(base, judgments),
                    "top3": [(key, judgments.get(key, 0)) for key in base[:3]],
                },
            }
        )
    engine, baseline = summarise(rows, "engine"), summarise(rows, "baseline")
    result = {
        "benchmark": "search-relevance",
        "smoke": args.smoke,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "relevance_set": str(args.relevance.relative_to(common.ROOT)),
        "queries": len(rows),
        "seconds": round(time.perf_counter() - started, 1),
        "targets": {"success@3": TARGET_SUCCESS, "ndcg@10": TARGET_NDCG},
        "engine": engine,
        "baseline_icontains": baseline,
        "engine_errors": errors,
        "per_query": rows,
    }
    path = common.write_json(f"search-relevance-{vendor}.json", result)
    print(f"relevance on {vendor}: {len(rows)} queries ({path})")
    print(
        f"{'category':<14}{'n':>4}  {'engine nDCG':>11} {'base nDCG':>10}  {'engine S@3':>10} {'base S@3':>9}"
    )
    for cat, stats in engine["categories"].items():
        b = baseline["categories"][cat]
        print(
            f"{cat:<14}{stats['queries']:>4}  {stats['ndcg@10']:>11.3f} {b['ndcg@10']:>10.3f}"
            f"  {stats['success@3']:>10.3f} {b['success@3']:>9.3f}"
        )
    e, b = engine["overall"], baseline["overall"]
    print(
        f"{'ALL':<14}{len(rows):>4}  {e['ndcg@10']:>11.3f} {b['ndcg@10']:>10.3f}"
        f"  {e['success@3']:>10.3f} {b['success@3']:>9.3f}"
    )
    if errors:
        print(f"engine errors: {len(errors)} (first: {errors[0]})")
    missed = e["success@3"] < TARGET_SUCCESS or e["ndcg@10"] < TARGET_NDCG
    return 1 if (args.fail_under and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
