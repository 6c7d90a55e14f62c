"""Latency statistics shared by the benchmark scripts at bench/ (bench/aides.py, bench/explorer.py).

The percentile is the value at the rounded linear position of the sorted sample, as those benchmarks have always
reported it (bench/search/ uses nearest rank, bench/answer/ a 0..1 fraction: their published figures keep their own
definition). bench/network/bench.py keeps a copy: its own name (`bench`) hides this package when it runs.
Also: the summary of a sample of page timings and the SQL timer of one request (the page benches)."""

from __future__ import annotations

import statistics
import time


def percentile(values: list[float], rank: float) -> float:
    """`rank` in 0..100 of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(rank / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    """p50, p95 and mean in milliseconds (3 decimals) and the number of calls of a non-empty sample."""
    return {
        "p50_ms": round(percentile(values, 50), 3),
        "p95_ms": round(percentile(values, 95), 3),
        "mean_ms": round(statistics.fmean(values), 3),
        "calls": len(values),
    }


class SqlTimer:
    """connection.execute_wrapper: the number of queries of one request, their total time and the slowest one."""

    def __init__(self) -> None:
        self.count = 0
        self.ms = 0.0
        self.slowest: tuple[float, str] | None = None

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - t) * 1000
            self.count += 1
            self.ms += elapsed
            if self.slowest is None or elapsed > self.slowest[0]:
                self.slowest = (elapsed, sql)
