#!/usr/bin/env bash
# Accompaniment and pathway pages benchmark (issue 16), called by `make bench`: p95 of the pathway pages and the
# conseiller's lists with 100,000 accompaniments, beside baselines of the same run, on SQLite and PostgreSQL. Each
# backend gets a fresh, migrated database (bench/backends.sh). Results: bench/out/accompaniment-<vendor>.json.
#   ACCOMPANIMENT_BENCH_BACKENDS="sqlite postgresql"
#   ACCOMPANIMENT_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
#   extra arguments go to bench/accompaniment/bench.py (--accompaniments N, --calls N, --smoke)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${ACCOMPANIMENT_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${ACCOMPANIMENT_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" accompaniment || continue
  "$SPRO" migrate --no-input -v 0
  "$PY" bench/accompaniment/bench.py "$@"
  drop_backend "$backend" accompaniment
done
