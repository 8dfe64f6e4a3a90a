# Shared by the service scripts: where state lives and how to install packages.
# Services listen on loopback only, on ports of their own so they never clash
# with a database the machine already runs.

SERVICES_DIR="${AURORA_SERVICES_DIR:-/tmp/aurora-network-services}"
mkdir -p "$SERVICES_DIR"
chmod 755 "$SERVICES_DIR"

say() { printf '[services] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

apt_install() {
    # Install Debian packages when missing; as root directly, otherwise via sudo.
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing packages ($*) and no sudo: install them and re-run"
        sudo="sudo"
    fi
    say "installing $* from Debian packages"
    if [ ! -f "$SERVICES_DIR/.apt-updated" ]; then
        $sudo apt-get update -qq >&2 || die "apt-get update failed"
        touch "$SERVICES_DIR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2 \
        || die "apt-get install $* failed"
}

# Run a command as an unprivileged user when we are root (PostgreSQL and
# Elasticsearch refuse to run as root).
ensure_service_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id "$1" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$1"
}

as_service_user() {
    local user="$1"; shift
    if [ "$(id -u)" -eq 0 ]; then
        ensure_service_user "$user"
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}
