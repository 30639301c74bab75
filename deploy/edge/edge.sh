#!/usr/bin/env bash
# `npm run edge`: the TLS-terminating edge (nginx + ModSecurity v3 + OWASP CRS) in front of an API
# that is already running (`npm start` in another terminal). Installs the Debian packages when
# missing (root), makes a dev certificate with openssl, writes its runtime files under EDGE_DIR
# (nothing under /etc), and runs nginx in the foreground: Ctrl-C stops it.
#
# Operator variables of this script (not API configuration):
#   EDGE_PORT      8443              HTTPS port
#   EDGE_HOST      127.0.0.1         listen address
#   EDGE_UPSTREAM  127.0.0.1:$PORT   the API (PORT defaults to 3000)
#   EDGE_DIR       ./data/edge       runtime config, dev certificate, logs (modsec_audit.json)
#   EDGE_TLS_CERT, EDGE_TLS_KEY      a real certificate and key instead of the dev one
#   EDGE_RATE      20r/s             first-line rate limit per client address (nginx limit_req)
#   EDGE_BURST     40                requests allowed above the rate before 429
#   EDGE_WORKERS   1                 nginx worker processes
# Start the API with TRUST_PROXY=127.0.0.1 so it takes the client address from the edge.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

fail() { echo "edge: $*" >&2; exit 1; }
check() { # name value regex
  [[ "$2" =~ $3 ]] || fail "$1 must match $3, got \"$2\""
}

port=${EDGE_PORT:-8443}
host=${EDGE_HOST:-127.0.0.1}
upstream=${EDGE_UPSTREAM:-127.0.0.1:${PORT:-3000}}
dir=${EDGE_DIR:-$root/data/edge}
rate=${EDGE_RATE:-20r/s}
burst=${EDGE_BURST:-40}
workers=${EDGE_WORKERS:-1}
crs_rules=${EDGE_CRS_RULES:-/usr/share/modsecurity-crs/rules}

check EDGE_PORT "$port" '^[0-9]{1,5}$'
check EDGE_HOST "$host" '^([0-9.]+|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)$'
check EDGE_UPSTREAM "$upstream" '^[][A-Za-z0-9.:-]+:[0-9]{1,5}$'
check EDGE_RATE "$rate" '^[0-9]+r/[sm]$'
check EDGE_BURST "$burst" '^[0-9]+$'
check EDGE_WORKERS "$workers" '^([0-9]+|auto)$'
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
check EDGE_DIR "$dir" '^/[A-Za-z0-9._/-]+$'

"$here/install-packages.sh"
[ -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || fail "the ModSecurity nginx module is missing"
[ -d "$crs_rules" ] || fail "the OWASP CRS rules are missing ($crs_rules)"

mkdir -p "$dir/logs" "$dir/tmp/modsec" "$dir/tls"
cert=${EDGE_TLS_CERT:-$dir/tls/edge.crt}
key=${EDGE_TLS_KEY:-$dir/tls/edge.key}
if [ -z "${EDGE_TLS_CERT:-}" ] && [ ! -f "$cert" ]; then
  echo "edge: generating a self-signed dev certificate for localhost in $dir/tls" >&2
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -sha256 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -keyout "$key" -out "$cert" 2>/dev/null)
fi
[ -r "$cert" ] && [ -r "$key" ] || fail "cannot read the TLS certificate or key ($cert, $key)"
check EDGE_TLS_CERT "$cert" '^/[A-Za-z0-9._/-]+$'
check EDGE_TLS_KEY "$key" '^/[A-Za-z0-9._/-]+$'

# The WAF: engine settings, runtime paths, CRS setup, Ledgerline's rules and exclusions, the CRS.
{
  echo "Include $here/modsecurity.conf"
  echo "SecAuditLog $dir/logs/modsec_audit.json"
  echo "SecTmpDir $dir/tmp/modsec"
  echo "SecDataDir $dir/tmp/modsec"
  [ -f /etc/nginx/unicode.mapping ] && echo "SecUnicodeMapFile /etc/nginx/unicode.mapping 20127"
  echo "Include $here/crs-setup.conf"
  echo "Include $here/ledgerline-before-crs.conf"
  echo "Include $crs_rules/*.conf"
} > "$dir/modsecurity-main.conf"

listen=$host:$port
[[ "$host" == *:* && "$host" != \[* ]] && listen="[$host]:$port"
sed -e "s|@EDGE_DIR@|$dir|g" -e "s|@EDGE_LISTEN@|$listen|g" -e "s|@EDGE_UPSTREAM@|$upstream|g" \
  -e "s|@EDGE_TLS_CERT@|$cert|g" -e "s|@EDGE_TLS_KEY@|$key|g" -e "s|@EDGE_RATE@|$rate|g" \
  -e "s|@EDGE_BURST@|$burst|g" -e "s|@EDGE_WORKERS@|$workers|g" \
  "$here/nginx.conf.template" > "$dir/nginx.conf"

nginx -q -t -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
echo "edge: https://$listen → http://$upstream (WAF audit log: $dir/logs/modsec_audit.json)" >&2
exec nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" -g 'daemon off;'
