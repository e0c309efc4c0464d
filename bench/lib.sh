# Shared by the benchmark scripts: a PostgreSQL server, throwaway databases, release-server
# instances on them, and cleaning all of it up on exit. Sourced after scripts/lib.sh.

# The admin URL of the PostgreSQL server to use: TEST_DATABASE_URL's, else the local cluster's
# (started now, and stopped again on exit if it was not running).
BENCH_STOP_CLUSTER=no
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  "$ROOT/scripts/db.sh" status | grep -q '^running' || BENCH_STOP_CLUSTER=yes
  "$ROOT/scripts/db.sh" start
  TEST_DATABASE_URL="$("$ROOT/scripts/db.sh" url postgres)"
fi
BENCH_ADMIN_URL="${TEST_DATABASE_URL%/*}/postgres"
BENCH_DATABASES=()
BENCH_PIDS=()
BENCH_DIRS=()

psql_admin() { psql -X "$BENCH_ADMIN_URL" -qtAc "$1"; }
database_url() { echo "${TEST_DATABASE_URL%/*}/$1"; }

# fresh_database NAME: creates it (dropped on exit).
fresh_database() {
  psql_admin "CREATE DATABASE $1" >/dev/null
  BENCH_DATABASES+=("$1")
}

# ensure_release_build: builds the release server and site if missing, or always with BUILD=1.
ensure_release_build() {
  if [ "${1:-0}" = 1 ] || [ ! -x "$(server_binary)" ]; then
    "$ROOT/scripts/setup.sh" build
    "$ROOT/scripts/build.sh"
  fi
}

# start_instance PORT LOG: the release server on 127.0.0.1:PORT against $DATABASE_URL (export it
# and the server's other settings first), waited for until ready, stopped on exit.
start_instance() {
  local port="$1" log="$2"
  # From /, so that a developer's .env (a Finnhub key, say) does not change what is measured.
  (cd / && PORT="$port" HOST=127.0.0.1 exec "$(server_binary)" serve) >"$log" 2>&1 &
  BENCH_LAST_PID=$!
  BENCH_PIDS+=("$BENCH_LAST_PID")
  wait_for "http://127.0.0.1:$port/readyz" "$BENCH_LAST_PID" "$log"
}

# stop_process PID: SIGTERM, then SIGKILL if it has not exited after 10 s (a graceful shutdown
# still waiting on open streams, say).
stop_process() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

bench_cleanup() {
  local pid name
  for pid in "${BENCH_PIDS[@]}"; do stop_process "$pid"; done
  for name in "${BENCH_DIRS[@]}"; do rm -rf "$name"; done
  for name in "${BENCH_DATABASES[@]}"; do psql_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null || true; done
  if [ "$BENCH_STOP_CLUSTER" = yes ]; then "$ROOT/scripts/db.sh" stop; fi
  return 0
}
trap bench_cleanup EXIT
