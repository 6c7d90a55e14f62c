#!/usr/bin/env bash
# Interest explorer benchmark (issue 15 part 1), called by `make bench`: questionnaire scoring + ranking p95 beside a
# naive baseline measured in the same run, on SQLite and PostgreSQL. Each backend gets a fresh database
# (bench/backends.sh) with ROME 4.0, BCN, Certif Info and the tension data imported (what the results show).
# Results: bench/out/explorer-<vendor>.json.
#   EXPLORER_BENCH_BACKENDS="sqlite postgresql"
#   EXPLORER_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${EXPLORER_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${EXPLORER_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" explorer || continue
  "$SPRO" migrate --no-input -v 0
  for dataset in geo rome bcn certifinfo tension; do
    "$SPRO" import "$dataset" >/dev/null
  done
  "$PY" bench/explorer.py "$@"
  drop_backend "$backend" explorer
done
