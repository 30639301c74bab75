#!/usr/bin/env bash
# Installs the Debian packages the tlog-tiles spec builds its Go client from, when any is missing:
# the Go toolchain and golang.org/x/mod (sumdb/note, sumdb/tlog) as GOPATH sources under /usr/share/gocode.
# Usage: test/tiles/install-packages.sh [--check]   (--check: only report, exit 1 when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../scripts/install-debian-packages.sh" tiles "$@" golang-go golang-golang-x-mod-dev
