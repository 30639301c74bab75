#!/usr/bin/env bash
# Creates the key files the deployment mounts as secrets (kept out of git; existing files are kept).
# Clerk and Stripe secrets are yours: put them in the files named below before `docker compose up`.
set -euo pipefail
out=${1:-"$(dirname "$0")/secrets"}
mkdir -p "$out"
cd "$out"
umask 077
[ -f signing_key.pem ] || openssl genpkey -algorithm ed25519 -out signing_key.pem
[ -f checkpoint_key.pem ] || openssl genpkey -algorithm ed25519 -out checkpoint_key.pem
[ -f master_key ] || openssl rand -base64 32 > master_key
# PostgreSQL: the image's superuser, the owner role (migrations) and the runtime role (API, worker).
for f in postgres_password postgres_owner_password postgres_app_password; do
  [ -f "$f" ] || openssl rand -hex 24 > "$f"
done
[ -f read_db_owner_url ] || printf 'postgres://ledgerline_owner:%s@postgres:5432/ledgerline\n' "$(cat postgres_owner_password)" > read_db_owner_url
[ -f read_db_url ] || printf 'postgres://ledgerline_app:%s@postgres:5432/ledgerline\n' "$(cat postgres_app_password)" > read_db_url
# EventStoreDB: admin (esdb-setup replaces the default password with this one), the writer user the
# API and the worker connect as, and the read-only user for the verifier and compliance exports.
for f in eventstore_admin_password eventstore_api_password eventstore_verifier_password; do
  [ -f "$f" ] || openssl rand -hex 24 > "$f"
done
seeds="esdb1:2113,esdb2:2113,esdb3:2113?tls=true&tlsCAFile=/etc/ledgerline/ca.crt"
[ -f eventstore_admin_url ] || printf 'esdb://admin:%s@%s\n' "$(cat eventstore_admin_password)" "$seeds" > eventstore_admin_url
[ -f eventstore_url ] || printf 'esdb://ledgerline-api:%s@%s\n' "$(cat eventstore_api_password)" "$seeds" > eventstore_url
[ -f eventstore_verifier_url ] || printf 'esdb://ledgerline-verifier:%s@%s\n' "$(cat eventstore_verifier_password)" "$seeds" > eventstore_verifier_url
[ -f metrics_token ] || openssl rand -hex 24 > metrics_token
# Witnesses (c2sp.org/tlog-witness): two cosigner keys, their vkeys for the worker (WITNESS_KEYS_FILE),
# and the log's vkey for the witnesses (WITNESS_LOG_KEYS_FILE). A vkey is <name>+<hex key ID>+<b64(type || key)>,
# the key ID being SHA-256(name || "\n" || type || key)[:4] (c2sp.org/signed-note, tlog-cosignature).
raw_key() { openssl pkey -in "$1" -pubout -outform DER | tail -c 32; }
vkey() { # name, type byte (01 note, 04 cosignature/v1), private key PEM
  local id key
  id=$({ printf '%s\n' "$1"; printf "\\x$2"; raw_key "$3"; } | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
  key=$({ printf "\\x$2"; raw_key "$3"; } | base64 -w0)
  printf '%s+%s+%s\n' "$1" "$id" "$key"
}
for n in 1 2; do [ -f "witness${n}_key.pem" ] || openssl genpkey -algorithm ed25519 -out "witness${n}_key.pem"; done
[ -f witness_vkeys ] || printf '%s,%s\n' "$(vkey "${WITNESS1_NAME:-witness1.ledgerline.example/w}" 04 witness1_key.pem)" "$(vkey "${WITNESS2_NAME:-witness2.ledgerline.example/w}" 04 witness2_key.pem)" > witness_vkeys
[ -f log_vkey ] || vkey "${AUDIT_LOG_ORIGIN:-ledgerline.example/log}" 01 checkpoint_key.pem > log_vkey
for f in clerk_jwt_key stripe_secret_key stripe_webhook_secret; do
  [ -f "$f" ] || { : > "$f"; echo "fill in $out/$f"; }
done
echo "secrets in $out"
