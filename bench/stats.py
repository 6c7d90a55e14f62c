"""Latency statistics shared by the benchmark scripts at bench/ (bench/aides.py, bench/explorer.py).

The percentile is the value at the rounded linear position of the sorted sample, as those benchmarks have always
reported it (bench/search/ uses nearest rank, bench/answer/ a 0..1 fraction: their published figures keep their own
definition). bench/network/bench.py keeps a copy: its own name (`bench`) hides this package when it runs."""

from __future__ import annotations


def percentile(values: list[float], rank: float) -> float:
    """`rank` in 0..100 of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(rank / 100 * (len(ordered) - 1))))]
