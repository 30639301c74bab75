#!/usr/bin/env bash
# Installs the edge's Debian packages when any is missing: nginx, the ModSecurity v3 module and the
# OWASP Core Rule Set. Needs root (CI runs as root); prints the command to run otherwise.
# Usage: deploy/edge/install-packages.sh [--check]   (--check: only report, exit 1 when missing)
set -euo pipefail

packages=(nginx libnginx-mod-http-modsecurity modsecurity-crs)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "${1:-}" = "--check" ]; then
  echo "edge: missing Debian packages: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "edge: missing Debian packages: ${missing[*]}" >&2
  echo "edge: install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "edge: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The packages' scripts must not start a system-wide nginx on port 80: the edge runs its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt_install() { apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
apt_install || { apt-get update -q >&2 && apt_install; }
