#!/usr/bin/env bash
# Installs the Debian packages the tlog-tiles spec builds its Go client from, when any is missing:
# the Go toolchain and golang.org/x/mod (sumdb/note, sumdb/tlog) as GOPATH sources under /usr/share/gocode.
# Needs root (CI runs as root); prints the command to run otherwise.
set -euo pipefail

packages=(golang-go golang-golang-x-mod-dev)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "tiles: missing Debian packages: ${missing[*]}" >&2
  echo "tiles: install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "tiles: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
apt_install || { apt-get update -q >&2 && apt_install; }
