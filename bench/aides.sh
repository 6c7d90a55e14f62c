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
PG_DB=spro_bench_aides
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
    rm -f bench/out/aides-bench.sqlite3 bench/out/aides-bench.sqlite3-wal bench/out/aides-bench.sqlite3-shm
    export DATABASE_URL="sqlite:///$PWD/bench/out/aides-bench.sqlite3"
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
  "$PY" bench/aides.py "$@"
  if [ "$backend" = postgresql ]; then
    pg_admin "DROP DATABASE IF EXISTS $PG_DB"
  fi
done
