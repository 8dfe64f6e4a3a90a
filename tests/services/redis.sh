#!/usr/bin/env bash
# Start (or stop) a Redis server on 127.0.0.1:${REDIS_PORT:-63799} for development
# and tests. Installs Debian's redis-server when it is missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PORT="${REDIS_PORT:-63799}"
DATA="$SERVICES_DIR/redis"

start() {
    command -v redis-server >/dev/null || apt_install redis-server
    mkdir -p "$DATA"
    if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then
        say "Redis already running on port $PORT"
        return
    fi
    redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --dir "$DATA" \
        --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" --save "" --appendonly no \
        || die "redis-server did not start"
    for _ in $(seq 50); do
        redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG && { say "Redis started on 127.0.0.1:$PORT"; return; }
        sleep 0.1
    done
    tail -20 "$DATA/redis.log" >&2
    die "Redis did not answer on port $PORT"
}

stop() {
    command -v redis-cli >/dev/null && redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) echo "redis://127.0.0.1:$PORT/0" ;;
    *) die "usage: $0 start|stop|url" ;;
esac
