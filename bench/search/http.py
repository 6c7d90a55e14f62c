"""HTTP throughput of `/api/v1/recherche` under gunicorn (2 workers), beside an `icontains` endpoint.

Starts gunicorn on a free loopback port with production-like settings (SPRO_ENV=production, a generated
secret, DEBUG off, no SSL redirect, SPRO_ALLOWED_HOSTS=127.0.0.1, API rate limit raised for the bench) serving
bench/search/wsgi_bench.py (the product + `/bench/icontains`), then drives it from this second process with a
bounded pool of threads using http.client (--requests per endpoint, --seconds at most, loopback only).
Reports requests/s and p50/p95 for both endpoints and their ratio; writes bench/out/search-http-<vendor>.json.
Targets (issue 3): >= 150 requests/s with p95 <= 100 ms.

    DATABASE_URL=... .venv/bin/python bench/search/http.py [--requests 3000] [--concurrency 8] [--smoke]

`--smoke`: one worker, 2 threads, SMOKE_REQUESTS requests per endpoint, no warm-up (the test suite's run, which
checks that gunicorn boots with the production settings; figures meaningless).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

_HERE = Path(__file__).resolve().parent
# bench/search must not be on sys.path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent.parent))

import http.client  # noqa: E402

from bench.search import common  # noqa: E402

TARGET_RPS, TARGET_P95_MS = 150.0, 100.0
SMOKE_REQUESTS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        {
            "SPRO_ENV": "production",
            "SPRO_SECRET_KEY": secrets.token_urlsafe(50),
            "SPRO_DEBUG": "false",
            "SPRO_SSL_REDIRECT": "false",
            "SPRO_ALLOWED_HOSTS": "127.0.0.1",
            # Production refuses to start without the public https address used in e-mails (referrals).
            "SPRO_SITE_URL": "https://spro.bench.invalid",
            "SPRO_API_RATE_LIMIT": "100000000/min",
            "SPRO_BEHIND_PROXY": "false",
            "PYTHONPATH": str(common.ROOT),
        }
    )
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(common.ROOT),
        "--log-level",
        "warning",
        "bench.search.wsgi_bench:application",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited: {proc.stderr.read()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/icontains?q=x")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit("gunicorn did not answer within 60 s")


def drive(port: int, paths: list[str], total: int, concurrency: int, max_seconds: float) -> dict:
    """Send `total` GETs cycling over `paths` from `concurrency` threads (keep-alive), stop at max_seconds."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)], headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(common.percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(common.percentile(latencies, 95), 1) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per endpoint")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="a few requests, one worker (test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.concurrency, args.workers, args.seconds = SMOKE_REQUESTS, 2, 1, 20.0
    common.setup_django()
    vendor = common.backend_name()
    queries = [(item["q"], item["type"]) for item in common.load_relevance()]
    queries += [(q, None) for q in common.TYPICAL_QUERIES]

    def path(prefix: str, q: str, type_: str | None) -> str:
        params = {"q": q} | ({"type": type_} if type_ else {})
        return f"{prefix}?{urlencode(params)}"

    search_paths = [path("/api/v1/recherche", q, t) for q, t in queries]
    baseline_paths = [path("/bench/icontains", q, t) for q, t in queries]
    port = free_port()
    proc = start_gunicorn(port, args.workers)
    try:
        if not args.smoke:
            drive(port, search_paths[:50] + baseline_paths[:50], 200, args.concurrency, 30)  # warm-up
        search = drive(port, search_paths, args.requests, args.concurrency, args.seconds)
        baseline = drive(port, baseline_paths, args.requests, args.concurrency, args.seconds)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    result = {
        "benchmark": "search-http",
        "smoke": args.smoke,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "server": f"gunicorn, {args.workers} sync workers, 127.0.0.1, SPRO_ENV=production",
        "client": f"{args.concurrency} threads, http.client keep-alive, same machine",
        "search_api": search,
        "baseline_icontains": baseline,
        "ratio_requests_per_s": round(search["requests_per_s"] / baseline["requests_per_s"], 2)
        if baseline["requests_per_s"]
        else None,
        "ratio_p95": round(search["p95_ms"] / baseline["p95_ms"], 2)
        if search["p95_ms"] and baseline["p95_ms"]
        else None,
        "targets": {"requests_per_s": TARGET_RPS, "p95_ms": TARGET_P95_MS},
    }
    out = common.write_json(f"search-http-{vendor}.json", result)
    print(f"HTTP on {vendor} -> {out}")
    for name, stats in (("/api/v1/recherche", search), ("icontains", baseline)):
        print(
            f"  {name:<18} {stats['requests_per_s']:7.1f} req/s  p50 {stats['p50_ms']} ms  p95 {stats['p95_ms']} ms"
            f"  statuses {stats['statuses']}"
        )
    print(
        json.dumps({"ratio_requests_per_s": result["ratio_requests_per_s"], "ratio_p95": result["ratio_p95"]})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
