#!/usr/bin/env bash
# Installs Debian's chromium when missing: the compliance console's browser specs (test/console) drive it
# headless through playwright-core. Nothing downloads a browser build of its own. Needs root (CI runs as
# root); prints the command to run otherwise.
# Usage: scripts/install-chromium.sh [--check]   (--check: only report, exit 1 when missing)
set -euo pipefail

dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed' && [ -x /usr/bin/chromium ] && exit 0

if [ "${1:-}" = "--check" ]; then
  echo "console specs: Debian package chromium is missing" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "console specs: Debian package chromium is missing; install it as root: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
echo "console specs: installing chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -q --no-install-recommends chromium >&2; }
apt_install || { apt-get update -q >&2 && apt_install; }
