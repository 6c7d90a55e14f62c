#!/usr/bin/env bash
# Search benchmark (issue 3), called by `make bench`: relevance (nDCG@10, success@3), in-process latency and
# HTTP throughput, each beside the `icontains` baseline measured in the same run, on SQLite and PostgreSQL.
# Databases: bench/out/search-bench.sqlite3 and a temporary PostgreSQL database spro_bench_search (dropped at
# the end). Results: bench/out/search-*.json; a summary JSON on stdout (bench/out/search.json).
#   SEARCH_BENCH_OFFERS=300000   generated LHÉO offers for latency/HTTP (relevance runs before they exist)
#   SEARCH_BENCH_BACKENDS="sqlite postgresql"
#   SEARCH_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
OFFERS="${SEARCH_BENCH_OFFERS:-300000}"
BACKENDS="${SEARCH_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${SEARCH_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out

. bench/backends.sh

run_backend() {  # run_backend sqlite|postgresql
  local backend=$1
  use_backend "$backend" search || return 0
  echo "== $backend: migrate + import all + reindex" >&2
  "$SPRO" migrate --no-input -v 0
  "$SPRO" import all >bench/out/search-import-"$backend".log 2>&1
  "$SPRO" reindex >&2
  echo "== $backend: relevance" >&2
  "$PY" bench/search/evaluate.py >&2
  echo "== $backend: $OFFERS generated offers + reindex" >&2
  "$PY" bench/search/generate_offers.py --count "$OFFERS" 2>bench/out/search-generate-"$backend".log >&2
  echo "== $backend: in-process latency" >&2
  "$PY" bench/search/latency.py >&2
  echo "== $backend: HTTP under gunicorn" >&2
  "$PY" bench/search/http.py >&2
  drop_backend "$backend" search
}

for backend in $BACKENDS; do
  run_backend "$backend"
done
exec "$PY" bench/search/summary.py
