"""Benchmark: `spro import all` on a fresh database (SQLite, and PostgreSQL when reachable).

Reports wall time of the first import, of the idempotent second import, and — as the baseline measured in the same
run, since these machines are shared and noisy — the time to merely read and parse every built-in file (csv/json,
no database). Results are printed and written as JSON under bench/out/ (or $SPRO_BENCH_OUT).

    .venv/bin/python bench/import_all.py [--no-postgres] [--smoke]

`--smoke` (run by the test suite, tests/bench/test_smoke.py, so that the benchmark cannot rot unnoticed): one small
dataset (SMOKE_DATASET) instead of all, into the scratch database of DATABASE_URL (migrated, without that dataset)
instead of fresh ones; same JSON keys, figures meaningless.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
SMOKE_DATASET = "esco"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/spro_bench"


def parse_all_files() -> float:
    """Baseline: read every built-in data file once (decompress + decode + parse), no validation, no database."""
    started = time.perf_counter()
    rows = 0
    for path in sorted((ROOT / "data").rglob("*")):
        if not path.is_file() or path.suffix == ".md" or path.name.endswith((".xsd", ".txt")):
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
        if ".json" in path.name:
            rows += len(json.loads(text))
        elif ".xml" in path.name:
            rows += text.count("<formation")
        else:
            delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
            rows += sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return time.perf_counter() - started


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def step_seconds(summary: str) -> dict[str, float]:
    """Seconds per dataset (the summary table's last column) and for the search-index rebuild."""
    steps: dict[str, float] = {}
    for line in summary.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) >= 3 and cells[-1].endswith(" s") and cells[1] in ("success", "failed", "dry-run"):
            steps[cells[0]] = float(cells[-1][:-2])
        match = re.search(r"Index de recherche : .* en ([0-9.]+) s", line)
        if match:
            steps["index de recherche"] = float(match.group(1))
    return steps


def changes_reported(env: dict[str, str], dataset: str) -> int:
    result = subprocess.run(
        [str(BIN / "spro"), "import", dataset, "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = [x for x in result.stdout.splitlines() if x.startswith("Changements écrits")][-1]
    return int(line.rsplit(":", 1)[1])


def bench_database(label: str, database_url: str, dataset: str = "all") -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "SPRO_ENV": "development"}
    run([str(BIN / "spro"), "migrate", "--no-input", "-v", "0"], env)
    first, summary = run([str(BIN / "spro"), "import", dataset, "--no-progress"], env)
    started = time.perf_counter()
    second_changes = changes_reported(env, dataset)
    second = time.perf_counter() - started
    return {
        "database": label,
        "first_import_s": round(first, 2),
        "second_import_s": round(second, 2),
        "second_import_changes": second_changes,
        "first_import_steps_s": step_seconds(summary),
    }


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--smoke", action="store_true", help=f"SQLite and {SMOKE_DATASET} only (test suite)")
    args = parser.parse_args()
    dataset = SMOKE_DATASET if args.smoke else "all"
    OUT.mkdir(parents=True, exist_ok=True)
    baseline = parse_all_files()
    results = []
    if args.smoke:
        url = os.environ.get("DATABASE_URL", "")
        if not url:
            sys.exit("--smoke imports into the scratch database of DATABASE_URL: set it")
        results.append(bench_database("sqlite" if url.startswith("sqlite") else "postgresql", url, dataset))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(bench_database("sqlite", f"sqlite:///{tmp}/bench.sqlite3", dataset))
    if not args.smoke and not args.no_postgres and postgres_reachable():
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS spro_bench")
            conn.execute("CREATE DATABASE spro_bench")
        try:
            results.append(bench_database("postgresql", PG_BENCH))
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS spro_bench WITH (FORCE)")
    for item in results:
        item["ratio_first_to_parse_baseline"] = round(item["first_import_s"] / baseline, 1)
    report = {
        "benchmark": "import_all",
        "smoke": args.smoke,
        "datasets": dataset,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "baseline_parse_all_files_s": round(baseline, 2),
        "results": results,
    }
    (OUT / "import_all.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
