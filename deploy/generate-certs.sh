#!/usr/bin/env bash
# Generates the private CA and the TLS certificates the scale-out deployment uses:
# three EventStoreDB/KurrentDB nodes, the edge proxy, and the clients' CA bundle.
# Usage: deploy/generate-certs.sh [output-dir]   (default deploy/certs; existing files are kept)
set -euo pipefail
out=${1:-"$(dirname "$0")/certs"}
mkdir -p "$out"
cd "$out"

if [ ! -f ca/ca.key ]; then
  mkdir -p ca
  openssl req -x509 -newkey rsa:3072 -nodes -days 825 -sha256 \
    -subj "/CN=Ledgerline dev CA" -keyout ca/ca.key -out ca/ca.crt 2>/dev/null
  chmod 600 ca/ca.key
fi

issue() { # name, subjectAltName
  local name=$1 san=$2
  [ -f "$name/node.crt" ] && return 0
  mkdir -p "$name"
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name" \
    -keyout "$name/node.key" -out "$name/node.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$san" > "$name/ext.cnf"
  openssl x509 -req -in "$name/node.csr" -CA ca/ca.crt -CAkey ca/ca.key -CAcreateserial \
    -days 825 -sha256 -extfile "$name/ext.cnf" -out "$name/node.crt" 2>/dev/null
  rm -f "$name/node.csr" "$name/ext.cnf"
  chmod 600 "$name/node.key"
}

for n in 1 2 3; do issue "esdb$n" "DNS:esdb$n,DNS:localhost,IP:127.0.0.1"; done
issue edge "DNS:edge,DNS:localhost,IP:127.0.0.1"
echo "certificates in $out (CA: $out/ca/ca.crt)"
