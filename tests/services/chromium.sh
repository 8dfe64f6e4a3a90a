#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing, and print
# its path. Test tools cannot download their own browsers here, so the tests
# launch this one by path.
set -euo pipefail
. "$(dirname "$0")/common.sh"

BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$BROWSER" ]; then
    apt_install chromium
fi
[ -x "$BROWSER" ] || die "Chromium is not at $BROWSER"
"$BROWSER" --headless --no-sandbox --disable-gpu --version >&2 || die "Chromium at $BROWSER does not start"
echo "$BROWSER"
