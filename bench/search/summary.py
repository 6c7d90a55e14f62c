"""Collects bench/out/search-*.json into bench/out/search.json and prints it (the end of run.sh)."""

from __future__ import annotations

import json
import os
from pathlib import Path

OUT = Path(os.environ.get("SPRO_BENCH_OUT") or Path(__file__).resolve().parent.parent / "out")


def main() -> None:
    summary: dict = {"benchmark": "search", "backends": {}}
    for vendor in ("sqlite", "postgresql"):
        part: dict = {}
        for name in ("relevance", "latency", "http", "generate"):
            path = OUT / f"search-{name}-{vendor}.json"
            if not path.exists():
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            if name == "relevance":
                data = {
                    "queries": data["queries"],
                    "engine": data["engine"]["overall"],
                    "baseline_icontains": data["baseline_icontains"]["overall"],
                    "engine_errors": len(data["engine_errors"]),
                }
            elif name == "latency":
                data.pop("slowest_engine_queries", None)
            part[name] = data
        if part:
            summary["backends"][vendor] = part
    (OUT / "search.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
