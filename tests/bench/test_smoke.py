"""Every benchmark under bench/ runs at its smallest size (`--smoke`) and writes its JSON, so that none can rot
unnoticed (`make bench` was once broken for days: gunicorn refused the production settings). No figure is asserted,
only that each script exits 0 and writes the keys its readers (docs/performance.md, bench/search/summary.py) use.

The scripts run in child processes on a scratch database of the test run's kind (a temporary SQLite file, or a
PostgreSQL database created and dropped here), migrated with the datasets they read: geography, directory, ROME,
then the search index. Their JSON goes to a temporary folder ($SPRO_BENCH_OUT), never to bench/out/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: What the benchmarks read: the directory for the network and the answer, ROME for the search and the answer.
DATASETS = ("geo", "structures", "rome")
#: One process for the whole preparation (each `spro` command would pay Django's start-up again).
PREPARE = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
for dataset in {DATASETS!r}:
    call_command("import", dataset, no_progress=True, verbosity=0)
call_command("reindex", verbosity=0)
"""


def _vendor() -> str:
    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def _postgres_admin(sql: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    )
    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory):
    """The environment of the benchmark processes: a scratch database with the datasets, an output folder."""
    tmp = tmp_path_factory.mktemp("bench")
    vendor = _vendor()
    if vendor == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        db = settings.DATABASES["default"]
        name = f"spro_bench_smoke_{uuid.uuid4().hex[:8]}"
        _postgres_admin(f"CREATE DATABASE {name}")
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        url = f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SPRO_ENV": "development",
        "SPRO_BENCH_OUT": str(tmp / "out"),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }
    try:
        run(env, sys.executable, "-c", PREPARE)
        yield env
    finally:
        if vendor == "postgresql":
            _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def output(env: dict[str, str], name: str) -> dict:
    path = Path(env["SPRO_BENCH_OUT"]) / name
    assert path.exists(), f"{name} not written"
    return json.loads(path.read_text(encoding="utf-8"))


def test_import_all(bench_env):
    # One small dataset (not among DATASETS), imported twice into the scratch database.
    run(bench_env, sys.executable, "bench/import_all.py", "--smoke")
    report = output(bench_env, "import_all.json")
    assert report["benchmark"] == "import_all" and report["smoke"] is True
    assert report["baseline_parse_all_files_s"] > 0
    (result,) = report["results"]
    assert result["database"] == _vendor() and result["second_import_changes"] == 0
    assert {
        "first_import_s",
        "second_import_s",
        "first_import_steps_s",
        "ratio_first_to_parse_baseline",
    } <= set(result)


def test_search_relevance_latency_http_and_summary(bench_env):
    vendor = _vendor()
    run(bench_env, sys.executable, "bench/search/evaluate.py", "--smoke")
    relevance = output(bench_env, f"search-relevance-{vendor}.json")
    assert relevance["queries"] == 5 and relevance["engine_errors"] == []
    for system in ("engine", "baseline_icontains"):
        assert {"ndcg@10", "success@3"} <= set(relevance[system]["overall"])

    run(bench_env, sys.executable, "bench/search/latency.py", "--smoke")
    latency = output(bench_env, f"search-latency-{vendor}.json")
    assert latency["index_documents"] > 0 and latency["rounds"] == 1
    for system in ("engine", "baseline_icontains"):
        assert {"p50_ms", "p95_ms", "max_ms", "calls"} <= set(latency[system])

    # gunicorn with the production settings (through bench/search/wsgi_bench.py): every request answered 200.
    run(bench_env, sys.executable, "bench/search/http.py", "--smoke")
    http = output(bench_env, f"search-http-{vendor}.json")
    for endpoint in ("search_api", "baseline_icontains"):
        assert http[endpoint]["statuses"] == {"200": http[endpoint]["requests"]}, http[endpoint]
        assert http[endpoint]["requests"] > 0 and {"requests_per_s", "p50_ms", "p95_ms"} <= set(
            http[endpoint]
        )

    run(bench_env, sys.executable, "bench/search/summary.py")
    summary = output(bench_env, "search.json")
    assert set(summary["backends"][vendor]) == {"relevance", "latency", "http"}


def test_network(bench_env):
    run(bench_env, sys.executable, "bench/network/bench.py", "--smoke")
    report = output(bench_env, f"network-{_vendor()}.json")
    assert report["smoke"] is True and report["structures"] >= 60
    assert report["geo_search"]["engine"]["calls"] == 5
    assert report["referrals"]["engine"]["count"] == 3 and "ratio_engine_to_baseline" in report["referrals"]


def test_answer(bench_env):
    run(bench_env, sys.executable, "bench/answer/evaluate.py", "--smoke")
    report = output(bench_env, f"answer-{_vendor()}-none.json")
    assert report["model"] == "none" and report["latency_of"] == "answer" and report["smoke"] is True
    assert report["service_errors"]["count"] == 0
    assert {"appellations", "requests", "latency_ms", "matcher_latency_ms"} <= set(report)


def test_lheo(bench_env):
    run(bench_env, sys.executable, "bench/lheo/bench.py", "--smoke")
    report = output(bench_env, f"lheo-{_vendor()}.json")
    first, again = report["runs"]
    assert first["status"] == again["status"] == "success", report["runs"]
    assert first["changes"] > 0 and again["changes"] == 0
    assert {"mb_per_s", "peak_memory_mb", "ratio_to_parse", "all_processes_memory"} <= set(first)


def test_aides(bench_env):
    run(bench_env, sys.executable, "bench/aides.py", "--smoke")
    report = output(bench_env, f"aides-{_vendor()}.json")
    assert report["smoke"] is True and report["profiles"] == 5 and report["schemes"] >= 22
    assert report["communes_in_referential"] > 0  # the profiles carry a commune: its territory is read
    assert {"p50_ms", "p95_ms", "calls"} <= set(report["engine"]) and "ratio_p95_engine_to_baseline" in report


def test_dropout_pages(bench_env):
    run(bench_env, sys.executable, "bench/dropouts/pages.py", "--smoke")
    report = output(bench_env, f"dropouts-pages-{_vendor()}.json")
    assert report["smoke"] is True and report["zone_people"] == 500
    assert {"coordinator_list", "partner_list", "record", "health", "plain_query"} <= set(report["pages"])
    assert {"p50_ms", "p95_ms", "calls"} <= set(report["pages"]["coordinator_list"])
    assert "coordinator_list" in report["ratio_p95_over_health"] and "coordinator_list_met" in report


def test_monitoring(bench_env):
    run(bench_env, sys.executable, "bench/monitoring/bench.py", "--smoke")
    report = output(bench_env, f"monitoring-{_vendor()}.json")
    assert report["smoke"] is True and report["first_contacts"] == 2000 and report["referrals"] == 500
    assert report["referral_transitions"] > 500 and report["incremental_equals_rebuild"] is True
    assert set(report["indicators"]) == {"premiers-contacts", "orientations"}
    for measured in report["indicators"].values():
        assert measured["total_mismatches"] == 0 and "ratio_p95_baseline_to_engine" in measured
        assert {"p50_ms", "p95_ms", "calls"} <= set(measured["engine"])
        assert measured["engine"]["calls"] == measured["baseline_naive_group_by"]["calls"] == 10


def test_monitoring_hooks(bench_env):
    run(bench_env, sys.executable, "bench/monitoring/hooks.py", "--smoke")
    report = output(bench_env, f"monitoring-hooks-{_vendor()}.json")
    assert report["smoke"] is True
    for write in ("satisfaction_record", "answer_stats_record"):
        assert report[write]["with_hook"]["writes"] == report[write]["without_hook"]["writes"] == 50
        assert report[write]["p50_ratio"] > 0
