#!/usr/bin/env bash
# Serve the demo on 127.0.0.1:PORT with a background task worker; both stop together.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${1:-8000}
PY=.venv/bin/python

echo
echo "Récolte demo: http://127.0.0.1:$PORT/  (Ctrl-C stops the server and the task worker)"
echo
"$PY" manage.py db_worker &
WORKER=$!
# DEBUG stays off as in production; --insecure lets runserver serve static files anyway.
"$PY" manage.py runserver "127.0.0.1:$PORT" --insecure --noreload &
SERVER=$!
trap 'kill "$WORKER" "$SERVER" 2>/dev/null || true; wait' EXIT
trap 'exit 130' INT TERM
# Background jobs ignore Ctrl-C, so this shell catches it and the EXIT trap stops both.
wait -n
