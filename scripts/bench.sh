#!/usr/bin/env bash
# Run every standalone benchmark in bench/ in turn; stop at the first that fails.
set -euo pipefail

cd "$(dirname "$0")/.."
shopt -s nullglob
scripts=(bench/*.py)
[ ${#scripts[@]} -gt 0 ] || { echo "no benchmark in bench/"; exit 0; }
for script in "${scripts[@]}"; do
    echo "== $script"
    .venv/bin/python "$script"
done
