#!/usr/bin/env bash
# `make bench-statements`: what one market order costs PostgreSQL, statement by statement, with
# pg_stat_statements (bench/statements.py). The local cluster is restarted with the extension
# loaded if it is not (a server given by TEST_DATABASE_URL must load it itself).
#
# Environment (all optional):
#   BENCH_SECONDS      seconds of order load (default 20), at BENCH_CLIENTS clients (default 16)
#   BENCH_MODE         orders (default) or dashboard
#   BENCH_LABEL        the name of this build in the results (default: the commit)
#   PAPERTRADE_SERVER_BINARY / PAPERTRADE_SITE_ROOT   another build to measure (an older commit's)
source "$(dirname "$0")/../scripts/lib.sh"
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  "$ROOT/scripts/db.sh" start
  admin="$("$ROOT/scripts/db.sh" url postgres)"
  if ! psql -X -qtA "$admin" -c 'SHOW shared_preload_libraries' | grep -q pg_stat_statements; then
    step "loading pg_stat_statements into the local cluster (a restart)"
    psql -X -q "$admin" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
    "$ROOT/scripts/db.sh" stop && "$ROOT/scripts/db.sh" start
  fi
fi
source "$ROOT/bench/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" bench
ensure_release_build "${BENCH_BUILD:-0}"

port="${BENCH_PORT:-3140}"
app_db="pt_statements_$(date +%s)_$$"
fresh_database "$app_db"
psql_admin "ALTER DATABASE $app_db SET synchronous_commit = on" >/dev/null
export DATABASE_URL; DATABASE_URL="$(database_url "$app_db")"
export LEPTOS_SITE_ROOT; LEPTOS_SITE_ROOT="$(site_root)"
export MARKET_HOURS=always RUST_LOG=warn AUTH_RATE_LIMIT_BURST=10000 AUTH_RATE_LIMIT_REFILL_SECS=1 \
  GLOBAL_RATE_LIMIT_BURST=1000000 GLOBAL_RATE_LIMIT_PER_MINUTE=1000000
"$(server_binary)" migrate >/dev/null
psql -X -q "$DATABASE_URL" -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
start_instance "$port" "$LOG_DIR/bench-statements.log"
python3 bench/statements.py --base "http://127.0.0.1:$port" --database-url "$DATABASE_URL" \
  --seconds "${BENCH_SECONDS:-20}" --clients "${BENCH_CLIENTS:-16}" --mode "${BENCH_MODE:-orders}" \
  --label "${BENCH_LABEL:-$(git rev-parse --short HEAD)}" --out "$LOG_DIR/bench-statements.json"
