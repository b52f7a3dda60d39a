#!/usr/bin/env bash
# Run every standalone benchmark bench/bench_*.py in turn, with no arguments (other files in
# bench/ are generators and helpers they call).
# A failing benchmark does not stop the others; the exit status says whether any failed.
set -uo pipefail

cd "$(dirname "$0")/.."
# Benchmarks build throwaway instances: a random key for the run, unless one is set.
SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")}
export SECRET_KEY
shopt -s nullglob
failed=()
for script in bench/bench_*.py; do
    echo "== $script"
    .venv/bin/python "$script" || failed+=("$script")
done
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
