#!/usr/bin/env bash
# Installs the edge's Debian packages when any is missing: nginx, the ModSecurity v3 module and the
# OWASP Core Rule Set. Needs root (CI runs as root); prints the command to run otherwise.
# Usage: deploy/edge/install-packages.sh [--check]   (--check: only report, exit 1 when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
installer="$here/../../scripts/install-debian-packages.sh"
packages=(nginx libnginx-mod-http-modsecurity modsecurity-crs)

if [ "${1:-}" = "--check" ]; then exec "$installer" edge --check "${packages[@]}"; fi
"$installer" edge --check "${packages[@]}" 2>/dev/null && exit 0
# The packages' scripts must not start a system-wide nginx on port 80: the edge runs its own.
if [ "$(id -u)" -eq 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
"$installer" edge "${packages[@]}"
