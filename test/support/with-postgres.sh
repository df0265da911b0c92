#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: pg_virtualenv (Debian's
# postgresql-common) creates it, exports PG* for it, runs the command and drops the cluster after.
# The command also gets AORM_TEST_DATABASE_URL=postgresql:// (libpq fills in the rest from PG*).
#   with-postgres.sh <command> [args...]
set -euo pipefail
if ! command -v pg_virtualenv >/dev/null || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "with-postgres: needs pg_virtualenv and PostgreSQL 15 (scripts/install-deps.sh installs" \
       "postgresql-15 postgresql-common)" >&2
  exit 1
fi
# A free port picked at random: pg_createcluster takes the first free one from 5432, and two runs
# starting at once (ctest -j) could both take it.
for _ in $(seq 50); do
  port=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
export PGPORT=$port
# -t: the cluster lives in a temporary directory even as root, so parallel runs never share one.
# C collation: text orders by code point, as SQLite's does, so both backends share expectations.
exec pg_virtualenv -t -v 15 -i "--encoding=UTF8 --locale=C" -- \
  env AORM_TEST_DATABASE_URL=postgresql:// "$@"
