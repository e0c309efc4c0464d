#!/usr/bin/env bash
# `make bench-sse`: the live-push benchmark (see docs/BENCHMARKS.md, "Live push (SSE)").
# Starts the release server on a fresh database, holds SSE_CONNECTIONS idle /events streams,
# reads the server's RSS, measures order → trade-event latency on all of one user's streams
# (bench/sse_push.py), prints the table, and on a complete run fills the results in the docs.
#
# Environment (all optional):
#   TEST_DATABASE_URL     admin URL of a PostgreSQL server; default: the local cluster (scripts/db.sh)
#   SSE_CONNECTIONS       SSE connections to hold (default 10000)
#   SSE_STREAMS_PER_USER  streams per guest user (default 20)
#   SSE_ROUNDS            latency rounds (default 200)
#   SSE_SETTLE            seconds to hold the streams idle before reading RSS (default 10)
#   SSE_PORT              the server's port (default 3125)
#   SSE_BUILD=1           rebuild the release server first (default: build only if it is missing)
#   SSE_WRITE_DOCS=0      do not update docs/BENCHMARKS.md (default 1: update it after a complete run)
#   SSE_ARGS              more flags for bench/sse_push.py, e.g. "--open-concurrency 100"
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
cd "$ROOT"

connections="${SSE_CONNECTIONS:-10000}"
port="${SSE_PORT:-3125}"
docs="$ROOT/docs/BENCHMARKS.md"
result="$LOG_DIR/bench-sse.json"
log="$LOG_DIR/bench-sse-server.log"

# Each stream is one socket on each side; the client and the server each need ~N descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((connections + 512)) ] \
  || fail "the open-file limit ($(ulimit -n)) is too low for $connections connections"

ensure_release_build "${SSE_BUILD:-0}"
db="pt_bench_$(date +%s)_$$"
step "fresh database $db, migrations"
fresh_database "$db"
export DATABASE_URL; DATABASE_URL="$(database_url "$db")"
export LEPTOS_SITE_ROOT; LEPTOS_SITE_ROOT="$(site_root)"
export MARKET_HOURS=always AUTH_RATE_LIMIT_BURST=10000 GLOBAL_RATE_LIMIT_BURST=1000000 RUST_LOG=warn
# Every stream comes from this host: lift the per-address and per-instance stream limits.
export LIVE_STREAMS_PER_CLIENT=1000000 LIVE_STREAMS_MAX=10000000
"$(server_binary)" migrate >/dev/null

step "starting the server on 127.0.0.1:$port (log: $log)"
start_instance "$port" "$log"
server_pid="$BENCH_LAST_PID"

step "benchmark: $connections SSE connections"
pg_version="$(psql_admin 'SHOW server_version' | awk '{print $1}')"
status=0
# shellcheck disable=SC2086 # SSE_ARGS is split into flags on purpose
python3 "$ROOT/bench/sse_push.py" --base "http://127.0.0.1:$port" --server-pid "$server_pid" \
  --connections "$connections" --streams-per-user "${SSE_STREAMS_PER_USER:-20}" \
  --rounds "${SSE_ROUNDS:-200}" --settle "${SSE_SETTLE:-10}" \
  --meta "postgresql=$pg_version" --json "$result" ${SSE_ARGS:-} || status=$?
kill -0 "$server_pid" 2>/dev/null || note "the server is no longer running; its log: $log"

if [ "$status" -ne 0 ]; then
  fail "the run was incomplete (exit $status); docs/BENCHMARKS.md left as it was; result in $result"
fi
note "result: $result"
if [ "${SSE_WRITE_DOCS:-1}" = 1 ]; then
  python3 "$ROOT/bench/sse_push.py" --update-docs "$docs" --from-json "$result"
  step "updated the results in docs/BENCHMARKS.md"
fi
