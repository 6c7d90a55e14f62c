#!/usr/bin/env bash
# Dropout pages benchmark (issue 17), called by `make bench`: the PSAD coordinator's list p95 with 50,000 young people
# in the zone, beside the /health/ baseline of the same run, on SQLite and PostgreSQL. Each backend gets a fresh,
# migrated database (bench/backends.sh). Results: bench/out/dropouts-pages-<vendor>.json.
#   DROPOUTS_BENCH_BACKENDS="sqlite postgresql"
#   DROPOUTS_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
#   extra arguments go to bench/dropouts/pages.py (--people N, --calls N, --smoke)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${DROPOUTS_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${DROPOUTS_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out
export SPRO_DEBUG=false

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" dropouts_pages || continue
  "$SPRO" migrate --no-input -v 0
  "$PY" bench/dropouts/pages.py "$@"
  drop_backend "$backend" dropouts_pages
done
