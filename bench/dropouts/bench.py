"""Dropout list import benchmark (issue 17): a 50,000-line list imported and merged against 200,000 known young
people, target ≤ 20 s on SQLite and PostgreSQL with memory flat, beside baselines measured in the same run (these
machines are shared, so only same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/dropouts/bench.py [--known 200000] [--lines 50000] [--smoke]

Needs a migrated, empty database (bench/dropouts/run.sh makes one per backend). Deterministic (seeded):
- the known set: a list of `--known` young people (half with an INE) imported through `spro decrochage import`
  (campaign 2026-09), itself timed (`known_import_s`);
- the measured list (campaign 2026-10): `--lines` lines, 60 % young people already known (a third by INE with a
  new telephone, a third by names + birth date written in capitals with hyphens and no accents, a third
  identical), 40 % new;
- memory: each import runs in its own process (`spro decrochage import`), whose peak resident size (VmHWM) is read;
  a list a tenth as long is imported first (campaign 2026-08, other young people): a flat memory means both peaks
  are close;
- baselines: reading the CSV file with the csv module (`csv_read_s`), and the validation pass alone
  (`validate_s`, `spro.dropouts.reading.validate_file`).
Prints one JSON object (also bench/out/dropouts-<vendor>.json).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

TARGET_S = 20.0
NOMS = [
    "Le Gall",
    "Hélias",
    "Kerbrat",
    "Le Bihan",
    "Guéguen",
    "Morvan",
    "Le Goff",
    "Prigent",
    "Tanguy",
    "Riou",
]
PRENOMS = ["Maëlys", "Noé", "Inès", "Erwan", "Léa", "Yanis", "Nolwenn", "Loïc", "Anaïs", "Théo"]
COMMUNES = ["29019", "29232", "35238", "35288", "29039", "35047", "22278", "56260"]
TODAY = date.today()


def letters(i: int) -> str:
    """A distinct letter-only suffix per i (the names' matching keeps letters only)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out


def person(i: int, rng: random.Random) -> dict[str, str]:
    birth = TODAY - timedelta(days=rng.randint(16 * 365 + 30, 24 * 365))
    return {
        "ine": f"{i:010d}B" if i % 2 == 0 else "",
        "nom": f"{NOMS[i % len(NOMS)]} {letters(i).capitalize()}",
        "prenom": PRENOMS[(i // 7) % len(PRENOMS)],
        "date_naissance": birth.isoformat(),
        "commune": COMMUNES[i % len(COMMUNES)],
        "telephone": f"06 39 98 {i % 100:02d} {(i // 100) % 100:02d}",
        "courriel": f"jeune.{i}@example.org" if i % 3 else "",
        "responsable_legal": "",
        "uai": "0290044R",
        "formation": "CAP Cuisine",
        "date_sortie": (TODAY - timedelta(days=60 + i % 200)).isoformat(),
        "statut": "scolaire" if i % 4 else "apprenti",
    }


def shout(text: str) -> str:
    """« Le Gall Abc » → « LE-GALL-ABC » without accents: same young person for the matching."""
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.upper().replace(" ", "-")


def write(path: Path, rows) -> int:
    from spro.dropouts.reading import COLUMNS  # the contract's columns (any order is accepted)

    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in COLUMNS])
            count += 1
    return count


def known_rows(n: int):
    rng = random.Random(17)
    for i in range(n):
        yield person(i, rng)


def measured_rows(known: int, lines: int, offset: int):
    """60 % of the lines name known young people (three ways), 40 % new ones (from `offset` on)."""
    rng = random.Random(17)
    known_cache = {}
    matched = int(lines * 0.6)
    picks = random.Random(18).sample(range(known), matched)
    wanted = set(picks)
    for i, row in enumerate(known_rows(known)):  # the same seeded stream as the known set
        if i in wanted:
            known_cache[i] = row
    del rng
    for n, i in enumerate(picks):
        row = dict(known_cache[i])
        if n % 3 == 0 and row["ine"]:
            row["telephone"] = "06 39 98 99 99"
        elif n % 3 == 1:
            row["nom"], row["prenom"], row["ine"] = shout(row["nom"]), shout(row["prenom"]), ""
        yield row
    rng_new = random.Random(19)
    for i in range(offset, offset + lines - matched):
        yield person(i, rng_new)


def run_import(path: Path, campaign: str) -> dict:
    """`spro decrochage import` in a child process: wall time, its JSON counts and its peak resident memory."""
    code = (
        "import resource, sys, json, time, django\n"
        "django.setup()\n"
        "from pathlib import Path\n"
        "from spro.dropouts.importing import import_list\n"
        "t = time.perf_counter()\n"
        "r = import_list(Path(sys.argv[1]), sys.argv[2])\n"
        "s = time.perf_counter() - t\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'seconds': round(s, 2), 'peak_rss_mb': round(int(hwm) / 1024, 1), **r.as_json()}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), campaign],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.pop("erreurs")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--known", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--smoke", action="store_true", help="2,000 known, 500 lines")
    args = parser.parse_args()
    if args.smoke:
        args.known, args.lines = 2_000, 500
    import django

    django.setup()
    from django.db import connection

    from spro.dropouts.reading import validate_file

    work = ROOT / "bench" / "out" / "dropouts-files"
    work.mkdir(parents=True, exist_ok=True)
    known_file, small_file, big_file = work / "known.csv", work / "small.csv", work / "list.csv"
    write(known_file, known_rows(args.known))
    write(small_file, (person(i, random.Random(i)) for i in range(10**7, 10**7 + args.lines // 10)))
    lines = write(big_file, measured_rows(args.known, args.lines, offset=2 * 10**7))

    report: dict = {"vendor": connection.vendor, "known": args.known, "lines": lines, "target_s": TARGET_S}
    t = time.perf_counter()
    with big_file.open(encoding="utf-8", newline="") as handle:
        sum(1 for _ in csv.reader(handle, delimiter=";"))
    report["csv_read_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    errors = validate_file(big_file, {}, TODAY)
    report["validate_s"] = round(time.perf_counter() - t, 3)
    assert not errors, errors[:3]
    known = run_import(known_file, "2026-09")
    report["known_import"] = known
    report["small_import"] = run_import(small_file, "2026-08")
    report["import"] = run_import(big_file, "2026-10")
    report["reimport"] = run_import(big_file, "2026-10")
    report["import_over_validate"] = round(report["import"]["seconds"] / max(report["validate_s"], 1e-9), 1)
    report["met"] = report["import"]["seconds"] <= TARGET_S
    out = (
        Path(os.environ.get("SPRO_BENCH_OUT", ROOT / "bench" / "out")) / f"dropouts-{connection.vendor}.json"
    )
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
