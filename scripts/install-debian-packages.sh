#!/usr/bin/env bash
# Installs the Debian packages a test needs, when any is missing (the tiles spec's Go toolchain, the
# console specs' chromium). Needs root (CI runs as root); prints the command to run otherwise.
# Usage: scripts/install-debian-packages.sh <who needs them> [--check] <package>…
#   --check: only report, exit 1 when any is missing
set -euo pipefail

who=$1
shift
check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if $check; then
  echo "$who: missing Debian packages: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$who: missing Debian packages: ${missing[*]}" >&2
  echo "$who: install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "$who: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
apt_install || { apt-get update -q >&2 && apt_install; }
