#!/usr/bin/env bash
# Serve the demo on 127.0.0.1:PORT with a background task worker that dies with the server.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${1:-8000}
PY=.venv/bin/python

"$PY" manage.py db_worker &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM

echo
echo "Récolte demo: http://127.0.0.1:$PORT/  (Ctrl-C stops the server and the task worker)"
echo
# DEBUG stays off as in production; --insecure lets runserver serve static files anyway.
"$PY" manage.py runserver "127.0.0.1:$PORT" --insecure --noreload
