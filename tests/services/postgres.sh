#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster on 127.0.0.1:${POSTGRES_PORT:-54329}
# for development and tests. Installs Debian's postgresql when it is missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PORT="${POSTGRES_PORT:-54329}"
DATA="$SERVICES_DIR/postgres"
USER_NAME="aurora-pg"

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

start() {
    BIN="$(find_bindir || true)"
    if [ -z "$BIN" ]; then
        apt_install postgresql
        BIN="$(find_bindir)" || die "postgresql installed but initdb not found"
    fi
    run() { as_service_user "$USER_NAME" "$@"; }
    mkdir -p "$DATA"
    if [ "$(id -u)" -eq 0 ]; then
        ensure_service_user "$USER_NAME"
        chown "$USER_NAME" "$DATA"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "initialising a PostgreSQL cluster in $DATA"
        run "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed"
    fi
    if run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        say "PostgreSQL already running on port $PORT"
    else
        run "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
            -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null || { tail -20 "$DATA/server.log" >&2; die "PostgreSQL did not start"; }
        say "PostgreSQL started on 127.0.0.1:$PORT"
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='aurora'" \
        | grep -q 1 || "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres aurora
}

stop() {
    BIN="$(find_bindir || true)"
    [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ] || return 0
    as_service_user "$USER_NAME" "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) echo "postgres://postgres@127.0.0.1:$PORT/aurora" ;;
    *) die "usage: $0 start|stop|url" ;;
esac
