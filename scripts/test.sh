#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite and on PostgreSQL (mandatory under CI=true).
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

echo "=== tests on SQLite"
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" $BIN/pytest "$@"

PG_URL="${SPRO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/spro}"
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
  echo "=== tests on PostgreSQL"
  DATABASE_URL="$PG_URL" $BIN/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "error: PostgreSQL is mandatory under CI=true (expected on 127.0.0.1:5432)" >&2
  exit 1
else
  echo "PostgreSQL not available: the PostgreSQL run is skipped (it is mandatory under CI=true)."
fi
