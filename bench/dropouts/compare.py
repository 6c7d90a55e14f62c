"""Same-run comparison of two versions of the dropout import (issue 17): the known set is imported once by this
checkout, then the measured list is imported alternately by a base version and by this checkout, each in a child
process whose transaction is rolled back, so that both meet the same database under the same load. The validation
pass (`validate_file`) is timed before each pair as the run's baseline. Each import reports its wall time and the
importing process's CPU time (`cpu_s`: less sensitive to the other work of a shared machine; the database server's
own time is not in it). Prints one JSON object per pair.

    git archive BASE_COMMIT spro | tar -x -C /tmp/base      # the base version's code
    DATABASE_URL=... DJANGO_SETTINGS_MODULE=spro.settings SPRO_DEBUG=false \\
        .venv/bin/python bench/dropouts/compare.py --base /tmp/base known     # once, into a migrated empty base
    ... .venv/bin/python bench/dropouts/compare.py --base /tmp/base pairs 2

Needs the files of `bench/dropouts/bench.py` (bench/out/dropouts-files/known.csv and list.csv).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "bench" / "out" / "dropouts-files"
IMPORT = """
import json, sys, time, django
django.setup()
from pathlib import Path
from django.db import transaction
from spro.dropouts.importing import import_list
class Rollback(Exception):
    pass
started, cpu = time.perf_counter(), time.process_time()
try:
    with transaction.atomic():
        result = import_list(Path(sys.argv[1]), sys.argv[2])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        raise Rollback
except Rollback:
    pass
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(json.dumps({'seconds': round(seconds, 2), 'cpu_s': round(cpu, 2), 'peak_rss_mb': round(int(hwm) / 1024, 1),
                  'crees': result.crees, 'fusionnes': result.fusionnes}))
"""
VALIDATE = """
import sys, time, django
django.setup()
from datetime import date
from pathlib import Path
from spro.dropouts.reading import validate_file
started = time.perf_counter()
validate_file(Path(sys.argv[1]), {}, date.today())
print(round(time.perf_counter() - started, 3))
"""
KNOWN = """
import sys, django
django.setup()
from pathlib import Path
from spro.dropouts.importing import import_list
import_list(Path(sys.argv[1]), '2026-09')
"""


def child(code: str, cwd: Path, *args: str) -> str:
    """`code` run by this interpreter from `cwd` (its `spro` package is the one imported)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True, help="a folder holding the base version's spro/")
    parser.add_argument("action", choices=["known", "pairs"])
    parser.add_argument("count", type=int, nargs="?", default=2)
    args = parser.parse_args()
    if args.action == "known":
        started = time.perf_counter()
        child(KNOWN, ROOT, str(FILES / "known.csv"))
        print(json.dumps({"known_import_s": round(time.perf_counter() - started, 1)}))
        return
    for _ in range(args.count):
        pair = {
            "validate_s": float(child(VALIDATE, ROOT, str(FILES / "list.csv"))),
            "base": json.loads(child(IMPORT, args.base, str(FILES / "list.csv"), "2026-10")),
            "new": json.loads(child(IMPORT, ROOT, str(FILES / "list.csv"), "2026-10")),
        }
        print(json.dumps(pair), flush=True)


if __name__ == "__main__":
    main()
