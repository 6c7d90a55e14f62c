#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite and on PostgreSQL (mandatory under CI=true).
# When PostgreSQL answers, the two runs go side by side (one per core; SPRO_TEST_SERIAL=1 runs them one after the
# other): each writes its own log under var/, printed when it ends, and the script fails if either run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

# Browser tests drive Debian's Chromium; install it quietly when missing (never a downloaded browser build).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
      >/dev/null) || echo "warning: could not install chromium"
  fi
fi
if [ "${CI:-}" = "true" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "error: chromium is required for the browser tests under CI" >&2
  exit 1
fi

$BIN/ruff check --quiet .
$BIN/ruff format --check --quiet .
# Type check of the modules listed in pyproject.toml ([tool.mypy] files); about 20 s cold, 2 s with var/mypy-cache.
$BIN/mypy

# The run requirements alone (requirements/base.txt, no test tools) must import every module of spro/ and pass
# `spro check` and `spro migrate`: the test run below has the test tools installed and cannot see a missing run
# dependency. The virtualenv is cached under var/ by the hash of base.txt (one line of output).
$BIN/python scripts/check_run_requirements.py

SQLITE_URL="sqlite:///$PWD/var/test.sqlite3"
PG_URL="${SPRO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/spro}"
pg_ok=false
if $BIN/python - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  pg_ok=true
elif [ "${CI:-}" = "true" ]; then
  echo "error: PostgreSQL is mandatory under CI=true (expected on 127.0.0.1:5432)" >&2
  exit 1
fi

if [ "$pg_ok" = false ]; then
  echo "=== tests on SQLite"
  DATABASE_URL="$SQLITE_URL" $BIN/pytest "$@"
  echo "PostgreSQL not available: the PostgreSQL run is skipped (it is mandatory under CI=true)."
  exit 0
fi

if [ "${SPRO_TEST_SERIAL:-}" = "1" ]; then
  echo "=== tests on SQLite"
  DATABASE_URL="$SQLITE_URL" $BIN/pytest "$@"
  echo "=== tests on PostgreSQL"
  DATABASE_URL="$PG_URL" $BIN/pytest "$@"
  exit 0
fi

echo "=== tests on SQLite and on PostgreSQL, side by side (logs: var/test-sqlite.log, var/test-postgresql.log)"
start=$(date +%s)
DATABASE_URL="$SQLITE_URL" $BIN/pytest "$@" >var/test-sqlite.log 2>&1 &
sqlite_pid=$!
DATABASE_URL="$PG_URL" $BIN/pytest "$@" >var/test-postgresql.log 2>&1 &
pg_pid=$!
status=0
wait "$sqlite_pid" || status=1
echo "=== tests on SQLite ($(($(date +%s) - start)) s)"
cat var/test-sqlite.log
wait "$pg_pid" || status=1
echo "=== tests on PostgreSQL ($(($(date +%s) - start)) s)"
cat var/test-postgresql.log
exit "$status"
