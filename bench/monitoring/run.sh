#!/usr/bin/env bash
# Monitoring indicators benchmark (issue 19), called by `make bench`: first contacts and referrals (with their
# transitions) written straight into the source tables, their rollups added incrementally, then p95 of random
# indicator queries through the rollups vs a naive GROUP BY of the same run, on PostgreSQL and SQLite. Each backend gets a fresh, migrated database (bench/backends.sh).
# Results: bench/out/monitoring-<vendor>.json.
#   MONITORING_BENCH_BACKENDS="postgresql sqlite"
#   MONITORING_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
#   extra arguments go to bench/monitoring/bench.py (--contacts N, --referrals N, --queries N, --baseline-queries N,
#   --rebuild, --smoke)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${MONITORING_BENCH_BACKENDS:-postgresql sqlite}"
PG_ADMIN="${MONITORING_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out
export SPRO_DEBUG=false

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" monitoring || continue
  "$SPRO" migrate --no-input -v 0
  "$PY" bench/monitoring/bench.py "$@"
  drop_backend "$backend" monitoring
done
