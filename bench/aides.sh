#!/usr/bin/env bash
# Aids benchmark (issue 15 part 3), called by `make bench`: evaluation p95 for one profile over the whole catalogue,
# beside a naive baseline measured in the same run, on SQLite and PostgreSQL. Databases: bench/out/aides-bench.sqlite3
# and a PostgreSQL database spro_bench_aides (dropped at the end), migrated, with the geo referential imported (the
# profiles carry a commune). Results: bench/out/aides-<vendor>.json.
#   AIDES_BENCH_BACKENDS="sqlite postgresql"
#   AIDES_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${AIDES_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${AIDES_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" aides || continue
  "$SPRO" migrate --no-input -v 0
  "$SPRO" import geo >/dev/null
  "$PY" bench/aides.py "$@"
  drop_backend "$backend" aides
done
