"""Profile (or time) the chunk processor of the LHÉO importer on a file, outside the importer.

    .venv/bin/python bench/lheo/profile_worker.py bench/out/lheo-50mb.xml [--profile] [--dump OUT.marshal] [--repeat N]
        [--gc]

Needs a database with geo and rome imported (DATABASE_URL, default the bench's SQLite file) for the code
sets. Prints the CPU seconds of parse+validate+read per phase; `--dump` writes every chunk's result (marshal)
to compare two versions of the code byte for byte; `--profile` prints cProfile's top functions; `--gc` leaves
Python's cycle collector running during each chunk (the importer pauses it) to measure what the pause saves.
"""

from __future__ import annotations

import argparse
import cProfile
import marshal
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench/out/lheo-bench.sqlite3'}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the least CPU time is printed")
    parser.add_argument("--gc", action="store_true", help="keep the cycle collector running during chunks")
    args = parser.parse_args()
    import django

    django.setup()
    from spro.referentials.geo.models import Commune
    from spro.referentials.offers import chunks
    from spro.referentials.offers.importers import LheoDataset

    communes = set(Commune.objects.values_list("code_insee", flat=True))
    fiches = LheoDataset._fiches()
    path = Path(args.file)
    config = {
        "schema": str(ROOT / "data/offers/lheo-2.3.xsd"),
        "path": str(path),
        "prefix": chunks.Fingerprint(communes, fiches).prefix,
        "communes": sorted(communes),
        "fiches": sorted(fiches),
        "known": b"",
    }
    with path.open("rb") as stream:
        splitter = chunks.Splitter(stream, LheoDataset.batch_size)
        items = [(c.data, c.line_offset) for c in splitter]
        header = splitter.header
    processor = chunks.ChunkProcessor({**config, "header": header})
    process = processor._process if args.gc else processor.process
    profile = cProfile.Profile(time.process_time) if args.profile else None
    cpu = float("inf")
    for _ in range(args.repeat):
        out = []
        processor.sent.clear()  # each run sends the organismes again, as a fresh worker would
        start = time.process_time()
        if profile:
            profile.enable()
        for data, offset in items:
            out.append(marshal.dumps(process(data, offset)))
        if profile:
            profile.disable()
        cpu = min(cpu, time.process_time() - start)
    print(f"{len(items)} chunks, {sum(len(d) for d, _ in items) / 1e6:.1f} MB: {cpu:.2f} CPU s")
    if args.dump:
        with open(args.dump, "wb") as f:
            marshal.dump(out, f)
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
