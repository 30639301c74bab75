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
[ -f postgres_password ] || openssl rand -hex 24 > postgres_password
[ -f read_db_url ] || printf 'postgres://ledgerline:%s@postgres:5432/ledgerline\n' "$(cat postgres_password)" > read_db_url
[ -f eventstore_url ] || printf "esdb://admin:changeit@esdb1:2113,esdb2:2113,esdb3:2113?tls=true&tlsCAFile=/etc/ledgerline/ca.crt\n" > eventstore_url
[ -f metrics_token ] || openssl rand -hex 24 > metrics_token
for f in clerk_jwt_key stripe_secret_key stripe_webhook_secret; do
  [ -f "$f" ] || { : > "$f"; echo "fill in $out/$f"; }
done
echo "secrets in $out"
