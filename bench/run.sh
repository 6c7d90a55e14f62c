#!/usr/bin/env bash
# `make bench`: every benchmark, results printed as JSON and written under bench/out/ (git-ignored).
# Results are recorded by hand, with date, data size and command, in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p bench/out

echo "=== spro import all (SQLite, PostgreSQL when reachable)"
$BIN/python bench/import_all.py

echo "=== LHÉO streaming importer (throughput, peak memory)"
bash bench/lheo/run.sh

echo "=== search (relevance, latency, HTTP throughput)"
bash bench/search/run.sh

echo "=== network (directory geo search, referral creation)"
bash bench/network/run.sh

echo "=== first personalised answer (métiers, needs, typologies, latency; with and without the embedding model)"
bash bench/answer/run.sh

echo "=== schemes and aids (evaluation p95 for one profile over the whole catalogue, naive baseline)"
bash bench/aides.sh

echo "=== interest explorer (questionnaire scoring + ranking p95, naive baseline)"
bash bench/explorer.sh

echo "=== pathways and accompaniments (100,000 accompaniments: pathway pages, conseiller's lists; /health/ baseline)"
bash bench/accompaniment/run.sh

echo "=== dropout lists (50,000 lines merged against 200,000 known young people; csv and validation baselines)"
bash bench/dropouts/run.sh

echo "=== dropout pages (the PSAD coordinator's list with 50,000 young people in the zone; /health/ baseline)"
bash bench/dropouts/pages.sh
echo "=== monitoring indicators (first contacts, rollups vs naive GROUP BY, p95 of random indicator queries)"
bash bench/monitoring/run.sh
