# Sourced by the benchmark runners (bench/*/run.sh, bench/aides.sh…): one fresh database per backend, so that each
# runner says only what it measures. Before sourcing, set PY (the venv's python) and PG_ADMIN (a PostgreSQL admin
# address, …/postgres); run from the repository's root.
#
#   use_backend sqlite|postgresql <name>   exports DATABASE_URL to a new, empty database: bench/out/<name>-bench.sqlite3
#                                          or the PostgreSQL database spro_bench_<name>; returns 1 (with a message)
#                                          when PostgreSQL cannot be reached, so that the runner skips it
#   drop_backend sqlite|postgresql <name>  drops the PostgreSQL database (the SQLite file stays for inspection)

pg_admin() {  # pg_admin "SQL"
  "$PY" - "$PG_ADMIN" "$1" <<'PYEOF'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sys.argv[2])
PYEOF
}

use_backend() {
  local backend=$1 name=$2
  mkdir -p bench/out
  if [ "$backend" = sqlite ]; then
    rm -f "bench/out/$name-bench.sqlite3" "bench/out/$name-bench.sqlite3-wal" "bench/out/$name-bench.sqlite3-shm"
    export DATABASE_URL="sqlite:///$PWD/bench/out/$name-bench.sqlite3"
  else
    if ! pg_admin "SELECT 1" 2>/dev/null; then
      echo "PostgreSQL not reachable at $PG_ADMIN: skipped" >&2
      return 1
    fi
    pg_admin "DROP DATABASE IF EXISTS spro_bench_$name"
    pg_admin "CREATE DATABASE spro_bench_$name"
    export DATABASE_URL="${PG_ADMIN%/*}/spro_bench_$name"
  fi
}

drop_backend() {
  if [ "$1" = postgresql ]; then
    pg_admin "DROP DATABASE IF EXISTS spro_bench_$2 WITH (FORCE)"
  fi
}
