#!/usr/bin/env bash
# The test suite: ruff, then pytest on SQLite, on PostgreSQL+pgvector, and in Debian chromium.
# Every pass runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
LOGS=$(mktemp -d)
export PG_STATE=$LOGS/pg.env
trap 'scripts/pg.sh stop; rm -rf "$LOGS"' EXIT
declare -a SUMMARY=()
FAILED=0

record() {  # record NAME STATUS DETAIL
    SUMMARY+=("$(printf '%-11s %-4s %s' "$1" "$2" "$3")")
    [ "$2" = ok ] || FAILED=1
}

# pytest's exit status 5 means "no tests collected": a pass that tests nothing is a failure.
run_pytest() {  # run_pytest NAME ARGS...
    local name=$1 rc
    shift
    echo "== pytest: $name"
    "$BIN/pytest" -q "$@" 2>&1 | tee "$LOGS/$name.log"
    rc=${PIPESTATUS[0]}
    record "$name" "$([ "$rc" -eq 0 ] && echo ok || echo FAIL)" \
        "$(grep -E ' in [0-9.]+s' "$LOGS/$name.log" | tail -n 1 | tr -d '=')"
}

echo "== ruff"
if "$BIN/ruff" check . && "$BIN/ruff" format --check .; then
    record ruff ok "clean"
else
    record ruff FAIL "see above"
fi

run_pytest sqlite -m "not browser"

if DATABASE_URL=$(scripts/pg.sh start); then
    DATABASE_URL=$DATABASE_URL run_pytest postgresql -m "not browser"
else
    record postgresql FAIL "server did not start"
fi
scripts/pg.sh stop

run_pytest browser -m browser

echo
echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
