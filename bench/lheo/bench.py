"""Benchmark of the streaming LHÉO importer: throughput (MB/s) and peak memory, first import and re-import.

    bench/lheo/run.sh                      # SQLite in bench/out/, files of 50 and 300 MB
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spro_lheo_bench bench/lheo/run.sh
    bench/lheo/run.sh --sizes 20,50        # other sizes (MB)
    bench/lheo/run.sh --smoke              # a 0.1 MB file on DATABASE_URL as it is (the test suite's run)

Generated files and the SQLite database go to bench/out/ (git-ignored); the result is printed as JSON and
written to bench/out/lheo.json. Each import runs in a child process so that its peak memory (VmHWM, and the
largest ru_maxrss of its worker processes) is its own; the parent waits with os.wait4 and cross-checks
ru_maxrss, and samples the memory of the whole process tree (`all_processes_memory`: the importer and its
workers together, which is what the ≤ 300 MB target is checked against). The `validator_*` keys (names kept
from the earlier design) are the importer's child processes: the chunk workers of
`spro/referentials/offers/chunks.py` (CPU summed over them, memory of the largest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
PYTHON = sys.executable
#: `--smoke`: the test suite runs each benchmark at a tiny size so that none can rot unnoticed (figures meaningless).
SMOKE_SIZE_MB = 0.1


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'lheo-bench.sqlite3'}")
    env.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _status_kb(pid: int, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process has ended
        return 0
    return int(text.split(key + ":")[1].split()[0]) if key + ":" in text else 0


def _descendants(pid: int) -> list[int]:
    """pid and its descendants (Linux: /proc/<pid>/task/<tid>/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


class _TreeMemory:
    """Samples the memory of a process and of all its descendants (the importer and its worker processes)
    every 20 ms: `peak_sum_rss_mb`, the largest sum of their resident sizes seen at one time, and
    `sum_of_peaks_mb`, the sum of each process's own peak (VmHWM): an upper bound of the former."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak_sum, self.peaks = pid, 0, {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.02):
            total = 0
            for pid in _descendants(self.pid):
                total += _status_kb(pid, "VmRSS")
                self.peaks[pid] = max(self.peaks.get(pid, 0), _status_kb(pid, "VmHWM"))
            self.peak_sum = max(self.peak_sum, total)

    def result(self) -> dict:
        self.stop.set()
        self.thread.join()
        return {
            "peak_sum_rss_mb": round(self.peak_sum / 1024, 1),
            "sum_of_peaks_mb": round(sum(self.peaks.values()) / 1024, 1),
            "processes": len(self.peaks),
        }


def _child(*args: str) -> tuple[dict, dict]:
    """Run `bench.py --child ...`; returns (its JSON answer, {wall, usage, memory}) with os.wait4's rusage of
    the child and the memory of its process tree (_TreeMemory)."""
    import tempfile

    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [PYTHON, __file__, "--child", *args], env=_env(), cwd=ROOT, stdout=out, stderr=err
        )
        tree = _TreeMemory(process.pid)
        # wait without reaping, so that the last samples still see the child; then reap with its rusage
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        memory = tree.result()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"bench child {args} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), {"wall": wall, "usage": usage, "memory": memory}


# ------------------------------------------------------------------------------------------- child side


def _setup_django() -> None:
    import django

    django.setup()


def child_setup(only_missing: str = "") -> dict:
    """Fresh schema, then the datasets the offers link to (geo, rome); with `only_missing`, those not imported yet."""
    _setup_django()
    from django.core.management import call_command

    from spro.referentials.importing import run_dataset
    from spro.referentials.importing.registry import all_datasets
    from spro.referentials.models import ImportRun

    call_command("migrate", verbosity=0, interactive=False)
    datasets = all_datasets()
    imported = set(
        ImportRun.objects.filter(status=ImportRun.Status.SUCCESS).values_list("dataset", flat=True)
    )
    done = {}
    for name in ("geo", "rome"):
        if only_missing and name in imported:
            done[name] = "already imported"
            continue
        report = run_dataset(datasets[name]())
        done[name] = report.status
    return {"dependencies": done}


def child_reset() -> dict:
    """Empty the offers tables (the first import of each size then creates everything)."""
    _setup_django()
    from django.db import connection, transaction

    from spro.referentials.offers.models import Action, Formation, FormationRome, OrganismeFormation, Session

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Session, Action, FormationRome, Formation, OrganismeFormation):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    return {"reset": True}


def child_baseline(path: str) -> dict:
    """Machine-speed references measured in the same run (these VMs are shared: their speed varies by 30 % and
    more from one hour to the next). `parse_mb_per_s`: libxml2 alone parsing the file's chunks on one core (the
    C floor of an import); `python_mloops_per_s`: a plain interpreter loop (the importer's reading is Python)."""
    from lxml import etree

    from spro.referentials.offers import chunks

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    size, cpu = 0, time.process_time()
    with open(path, "rb") as stream:
        splitter = chunks.Splitter(stream, 250)
        for chunk in splitter:
            etree.fromstring(splitter.header + chunk.data + chunks.FOOTER, parser)
            size += len(chunk.data)
    parse = time.process_time() - cpu
    loops, cpu = 5_000_000, time.process_time()
    total = 0
    for number in range(loops):
        total += number
    python = time.process_time() - cpu
    return {
        "parse_mb_per_s": round(size / 1e6 / parse, 1),
        "python_mloops_per_s": round(loops / 1e6 / python, 1),
    }


def child_import(path: str) -> dict:
    _setup_django()
    import resource

    from spro.referentials.importing import run_dataset
    from spro.referentials.offers.importers import LheoDataset

    wall, cpu = time.perf_counter(), time.process_time()
    report = run_dataset(LheoDataset(), path=Path(path))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    status = Path("/proc/self/status").read_text()
    vmhwm_kb = int(status.split("VmHWM:")[1].split()[0])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "status": report.status,
        "error": report.error,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "validator_cpu_seconds": round(children.ru_utime + children.ru_stime, 2),
        "peak_memory_mb": round(vmhwm_kb / 1024, 1),
        "validator_peak_memory_mb": round(children.ru_maxrss / 1024, 1),
        "warnings": report.warning_count,
        "counts": {m.label: m.counts.as_dict() for m in report.models},
        "changes": report.totals.changes,
    }


# ------------------------------------------------------------------------------------------- parent side


def _ensure_file(size_mb: float, seed: int) -> Path:
    path = OUT / f"lheo-{size_mb}mb.xml"
    meta = path.with_suffix(".json")
    wanted = {"size_mb": size_mb, "seed": seed}
    if path.exists() and meta.exists() and json.loads(meta.read_text()).get("params") == wanted:
        return path
    sys.path.insert(0, str(Path(__file__).parent))
    from generate import generate

    started = time.perf_counter()
    produced = generate(path, size_mb, seed)
    meta.write_text(
        json.dumps({"params": wanted, **produced, "seconds": round(time.perf_counter() - started, 1)})
    )
    return path


def _ensure_postgres_database(url: str) -> None:
    """Create the benchmark database when DATABASE_URL names one that does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None or k == "autocommit"}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (config["NAME"],)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LHÉO importer benchmark")
    parser.add_argument("--sizes", default="50,300", help="file sizes in MB, comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke", action="store_true", help=f"one {SMOKE_SIZE_MB} MB file, DATABASE_URL kept (test suite)"
    )
    args = parser.parse_args(argv)

    if args.child:
        action, *rest = args.child
        result = {
            "setup": child_setup,
            "reset": child_reset,
            "import": child_import,
            "baseline": child_baseline,
        }[action](*rest)
        print(json.dumps(result))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    url = _env()["DATABASE_URL"]
    backend = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    if backend == "postgresql":
        _ensure_postgres_database(url)
    elif not args.smoke:  # a fresh SQLite file (smoke: the test suite's scratch database, used as it is)
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    sizes = [SMOKE_SIZE_MB] if args.smoke else [int(size) for size in args.sizes.split(",") if size]
    files = {size: _ensure_file(size, args.seed) for size in sizes}
    setup, _ = _child("setup", "only-missing") if args.smoke else _child("setup")

    runs = []
    for path in files.values():
        _child("reset")
        megabytes = path.stat().st_size / 1e6
        baseline, _ = _child("baseline", str(path))
        for label in ("first import", "re-import (unchanged)"):
            answer, outside = _child("import", str(path))
            usage = outside["usage"]
            runs.append(
                {
                    "file": path.name,
                    "size_mb": round(megabytes, 1),
                    "run": label,
                    **answer,
                    "mb_per_s": round(megabytes / answer["seconds"], 1),
                    "mb_per_cpu_s": round(megabytes / answer["cpu_seconds"], 1),
                    "baseline": baseline,
                    # throughput as a share of libxml2's one-core parse rate measured just before: comparable
                    # between runs on a VM whose speed varies (20 MB/s ≈ 0.4 when libxml2 parses at 50 MB/s)
                    "ratio_to_parse": round(megabytes / answer["seconds"] / baseline["parse_mb_per_s"], 3),
                    "child_ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1) if usage else None,
                    # the importer and its workers together (the target applies to the whole import)
                    "all_processes_memory": outside["memory"],
                }
            )
            print(
                f"{path.name} {label}: {runs[-1]['mb_per_s']} MB/s "
                f"({runs[-1]['ratio_to_parse']} of libxml2's parse rate {baseline['parse_mb_per_s']} MB/s), "
                f"peak {answer['peak_memory_mb']} MB "
                f"(largest worker {answer['validator_peak_memory_mb']} MB, all processes "
                f"{outside['memory']['peak_sum_rss_mb']} MB, sum of peaks {outside['memory']['sum_of_peaks_mb']} MB), "
                f"{answer['status']}",
                file=sys.stderr,
            )
    result = {
        "benchmark": "lheo",
        "smoke": args.smoke,
        "backend": backend,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "setup": setup,
        "targets": {"mb_per_s": 20, "peak_memory_mb": 300},
        "runs": runs,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    (OUT / f"lheo-{backend}.json").write_text(text + "\n")
    (OUT / "lheo.json").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
