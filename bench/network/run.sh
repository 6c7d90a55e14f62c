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
PG_DB=spro_bench_network
mkdir -p bench/out

pg_admin() {  # pg_admin "SQL"
  "$PY" - "$PG_ADMIN" "$1" <<'PYEOF'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sys.argv[2])
PYEOF
}

for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    rm -f bench/out/network-bench.sqlite3 bench/out/network-bench.sqlite3-wal bench/out/network-bench.sqlite3-shm
    export DATABASE_URL="sqlite:///$PWD/bench/out/network-bench.sqlite3"
  else
    if ! pg_admin "SELECT 1" 2>/dev/null; then
      echo "PostgreSQL not reachable at $PG_ADMIN: skipped" >&2
      continue
    fi
    pg_admin "DROP DATABASE IF EXISTS $PG_DB"
    pg_admin "CREATE DATABASE $PG_DB"
    export DATABASE_URL="${PG_ADMIN%/*}/$PG_DB"
  fi
  "$SPRO" migrate --no-input -v 0
  "$SPRO" import geo >/dev/null
  "$PY" bench/network/bench.py "$@"
  if [ "$backend" = postgresql ]; then
    pg_admin "DROP DATABASE IF EXISTS $PG_DB"
  fi
done
