#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 if it is not running, and create the test role and
# database when missing. Idempotent; needs root (CI and the dev machines run as root).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "ensure_postgres: pg_ctlcluster not found; installing postgresql" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h | awk '$1==15 && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='luoshi'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role luoshi login password 'luoshi'\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='luoshi_test'\"" | grep -q 1 ||
  su postgres -c "psql -qc 'create database luoshi_test owner luoshi'"
su postgres -c "psql -q -d luoshi_test -c 'create extension if not exists pg_trgm'" >/dev/null
echo "ensure_postgres: PostgreSQL 15 running with role luoshi and database luoshi_test"
