#!/usr/bin/env bash
# Dropout list import benchmark (issue 17), called by `make bench`: a 50,000-line list merged against 200,000 known
# young people, beside baselines of the same run, on SQLite and PostgreSQL. Each backend gets a fresh, migrated
# database (bench/backends.sh). Results: bench/out/dropouts-<vendor>.json.
#   DROPOUTS_BENCH_BACKENDS="sqlite postgresql"
#   DROPOUTS_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
#   extra arguments go to bench/dropouts/bench.py (--known N, --lines N, --smoke)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${DROPOUTS_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${DROPOUTS_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out
# As in production: with DEBUG on, Django keeps the last 9,000 queries with their parameters (a bulk insert's SQL is
# hundreds of kilobytes), which grows the memory with the file and slows every query.
export SPRO_DEBUG=false

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" dropouts || continue
  "$SPRO" migrate --no-input -v 0
  "$PY" bench/dropouts/bench.py "$@"
  drop_backend "$backend" dropouts
done
