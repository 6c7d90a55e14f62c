#!/usr/bin/env bash
# Network benchmark (issue 4), called by `make bench`: directory geo search among 20,000 generated structures and
# referral creation throughput, each beside a baseline measured in the same run, on SQLite and PostgreSQL.
# Databases: bench/out/network-bench.sqlite3 and a PostgreSQL database spro_bench_network (dropped at the end),
# migrated, with the geo referential imported. Results: bench/out/network-<vendor>.json.
#   NETWORK_BENCH_BACKENDS="sqlite postgresql"
#   NETWORK_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${NETWORK_BENCH_BACKENDS:-sqlite postgresql}"
PG_ADMIN="${NETWORK_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p bench/out

. bench/backends.sh

for backend in $BACKENDS; do
  use_backend "$backend" network || continue
  "$SPRO" migrate --no-input -v 0
  "$SPRO" import geo >/dev/null
  "$PY" bench/network/bench.py "$@"
  drop_backend "$backend" network
done
