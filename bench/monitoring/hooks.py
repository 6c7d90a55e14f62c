"""What the indicators' incremental hooks cost on the write path (issue 19): p50/p95 of one write with the
monitoring app's receiver connected, against the same write with it disconnected, alternating blocks in the same run
(shared machines: only same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/monitoring/hooks.py [--writes 1000] [--smoke]

Writes: a satisfaction answer with two reasons (`spro.feedback.satisfaction.record`: the answer, its reasons, the
used key; hook: `satisfaction` and its numerator), and a first answer's statistic row (`spro.answer.stats.record`
with three needs; hook: `premieres-reponses`), both located in a département (a synthetic one when the referential
is empty). Needs a migrated database; deletes what it wrote (answers, keys, rows and their rollups) at the end.
Prints one JSON object (also $SPRO_BENCH_OUT or bench/out/monitoring-hooks-<vendor>.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

BLOCK = 50


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "writes": len(values),
        "p50_ms": round(percentile(values, 0.5), 3),
        "p95_ms": round(percentile(values, 0.95), 3),
        "mean_ms": round(statistics.fmean(values), 3),
    }


def measure(write, signal, receiver, uid: str, writes: int) -> dict:
    """`writes` timed calls with the hook and as many without, in alternating blocks."""
    timed: dict[bool, list[float]] = {True: [], False: []}
    for block in range(2 * max(1, writes // BLOCK)):
        hooked = block % 2 == 0
        if not hooked:
            signal.disconnect(dispatch_uid=uid)
        try:
            for _ in range(min(BLOCK, writes)):
                start = time.perf_counter()
                write()
                timed[hooked].append((time.perf_counter() - start) * 1000)
        finally:
            if not hooked:
                signal.connect(receiver, dispatch_uid=uid)
    with_hook, without = summary(timed[True]), summary(timed[False])
    return {
        "with_hook": with_hook,
        "without_hook": without,
        "p50_ratio": round(with_hook["p50_ms"] / without["p50_ms"], 2),
        "p95_ratio": round(with_hook["p95_ms"] / without["p95_ms"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--writes", type=int, default=1000, help="timed writes with the hook (as many without)"
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run (the smoke test)")
    args = parser.parse_args()
    writes = BLOCK if args.smoke else args.writes

    import django

    django.setup()
    from django.db import connection

    from spro.answer import stats
    from spro.answer.models import AnswerStat
    from spro.answer.signals import answer_recorded
    from spro.answer.types import Analysis, Answer, BesoinScore, Profile
    from spro.feedback import satisfaction
    from spro.feedback.models import SatisfactionAnswer, UsedFormKey
    from spro.feedback.signals import satisfaction_recorded
    from spro.monitoring.models import Rollup
    from spro.monitoring.sources import answers, feedback
    from spro.referentials.geo.models import Departement, Region

    departement = Departement.objects.values_list("code", flat=True).first() or ""
    synthetic = None
    if not departement:  # an empty referential: one synthetic département, so that its lookup is measured
        synthetic = Region.objects.create(code="99", nom="Région du banc d’essai", zone="metro")
        departement = Departement.objects.create(
            code="99", nom="Département 99", region=synthetic, zone="metro"
        ).code
    scores = iter(range(10**9))

    def satisfaction_write() -> None:
        context = satisfaction.FormContext(
            service="orientation", departement=departement, typologie="ML", reseau="UNML"
        )
        satisfaction.record(satisfaction.new_form_key(context), 1 + next(scores) % 5, ["clair", "utile"])

    answer = Answer(
        analysis=Analysis(
            besoins=[BesoinScore(c, 0.9) for c in ("decouvrir-metiers", "alternance", "vae")],
            metiers=[],
            profile=Profile(age=19, statut="lyceen"),
        ),
        orientations=[],
        etapes=[],
        ressources=[],
    )

    result = {
        "smoke": args.smoke,
        "vendor": connection.vendor,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "departement": departement,
        "satisfaction_record": measure(
            satisfaction_write,
            satisfaction_recorded,
            feedback.on_satisfaction,
            "monitoring-satisfaction",
            writes,
        ),
        "answer_stats_record": measure(
            lambda: stats.record(answer, "api"),
            answer_recorded,
            answers.on_answer_recorded,
            "monitoring-answers",
            writes,
        ),
    }
    SatisfactionAnswer.objects.all().delete()
    UsedFormKey.objects.all().delete()
    AnswerStat.objects.all().delete()
    Rollup.objects.filter(indicator__in=[feedback.SATISFACTION, feedback.SATISFIED, answers.CODE]).delete()
    if synthetic is not None:
        Departement.objects.filter(region=synthetic).delete()
        synthetic.delete()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    out = (
        Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
        / f"monitoring-hooks-{connection.vendor}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
