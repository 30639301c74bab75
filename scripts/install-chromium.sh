#!/usr/bin/env bash
# Installs Debian's chromium when missing: the compliance console's browser specs (test/console) drive it
# headless through playwright-core. Nothing downloads a browser build of its own.
# Usage: scripts/install-chromium.sh [--check]   (--check: only report, exit 1 when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-debian-packages.sh" "console specs" "$@" chromium
[ -x /usr/bin/chromium ] || { echo "console specs: /usr/bin/chromium is missing after installing chromium" >&2; exit 1; }
