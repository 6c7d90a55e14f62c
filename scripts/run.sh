#!/usr/bin/env bash
# `make run`: the development server in the foreground, and the e-mail outbox worker (`spro outbox work`) beside it
# in the background, so that invitations, referrals and reminders written to the outbox are delivered (with the
# default console backend: printed here). The worker is stopped when the server stops, however it stops (Ctrl-C,
# an error, a kill of this script).
#
# Usage: scripts/run.sh [SERVER COMMAND…]   (default: .venv/bin/spro runserver); SPRO_BIN names the spro to use.
set -euo pipefail
SPRO="${SPRO_BIN:-$(dirname "$0")/../.venv/bin/spro}"
if [ "$#" -eq 0 ]; then
  set -- "$SPRO" runserver
fi

"$SPRO" outbox work &
worker=$!
echo "spro: e-mail worker (spro outbox work) running as pid $worker; it stops with the server." >&2

stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    kill -TERM "$worker" 2>/dev/null || true  # the worker ends between two messages, never inside one
  fi
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Not `exec`: this shell stays to stop the worker when the server ends.
"$@"
