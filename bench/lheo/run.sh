#!/usr/bin/env bash
# LHÉO importer benchmark (called by `make bench`): JSON on stdout and in bench/out/lheo.json.
# SQLite by default (bench/out/lheo-bench.sqlite3); PostgreSQL when DATABASE_URL says so.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python bench/lheo/bench.py "$@"
