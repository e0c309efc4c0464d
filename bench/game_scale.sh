#!/usr/bin/env bash
# `make bench-game` (and the end of `make bench`): games at class scale (see docs/BENCHMARKS.md,
# "Games at class scale"). Starts the release server on a fresh database, makes a teacher's game
# of GAME_PLAYERS guests, each with one open /events stream, and measures a fill's leaderboard
# update reaching every page, the game page's SSR and the leaderboard function under
# GAME_VIEWERS concurrent viewers (bench/game_scale.py); prints the tables, and on a complete run
# fills the results in the docs.
#
# Environment (all optional):
#   TEST_DATABASE_URL    admin URL of a PostgreSQL server; default: the local cluster (scripts/db.sh)
#   GAME_PLAYERS         players in the game, one open page (event stream) each (default 500)
#   GAME_ROUNDS          rounds of order → game event on every page (default 200)
#   GAME_RELOAD_ROUNDS   rounds of order → every page reloads its leaderboard (default 20; 0: none)
#   GAME_VIEWERS         concurrent clients of the SSR and leaderboard-function phases (default 64)
#   GAME_SECONDS         seconds of each of those two phases (default 20)
#   GAME_PORT            the server's port (default 3126)
#   GAME_BUILD=1         rebuild the release server first (default: build only if it is missing)
#   GAME_WRITE_DOCS=0    do not update docs/BENCHMARKS.md (default: BENCH_WRITE_DOCS, else 1)
#   GAME_ARGS            more flags for bench/game_scale.py, e.g. "--seed 7"
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
cd "$ROOT"

players="${GAME_PLAYERS:-500}"
port="${GAME_PORT:-3126}"
docs="$ROOT/docs/BENCHMARKS.md"
result="$LOG_DIR/bench-game.json"
log="$LOG_DIR/bench-game-server.log"

# A stream per page, and during reload rounds two requests per page at once: ~3 sockets a player.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((3 * players + 512)) ] \
  || fail "the open-file limit ($(ulimit -n)) is too low for $players players"

ensure_release_build "${GAME_BUILD:-0}"
db="pt_game_$(date +%s)_$$"
step "fresh database $db (synchronous_commit = on), migrations"
fresh_database "$db"
# The local cluster commits asynchronously for fast tests; a benchmark commits like production.
psql_admin "ALTER DATABASE $db SET synchronous_commit = on" >/dev/null
export DATABASE_URL; DATABASE_URL="$(database_url "$db")"
export LEPTOS_SITE_ROOT; LEPTOS_SITE_ROOT="$(site_root)"
# One address makes every guest and join, opens every stream and sends every request: lift the
# per-address limits (sign-ups, requests, streams). Games have no limit of players to lift.
export MARKET_HOURS=always RUST_LOG=warn AUTH_RATE_LIMIT_BURST=10000 AUTH_RATE_LIMIT_REFILL_SECS=1 \
  GLOBAL_RATE_LIMIT_BURST=1000000 GLOBAL_RATE_LIMIT_PER_MINUTE=1000000 \
  LIVE_STREAMS_PER_CLIENT=1000000 LIVE_STREAMS_MAX=10000000
"$(server_binary)" migrate >/dev/null

step "starting the server on 127.0.0.1:$port (log: $log)"
start_instance "$port" "$log"
server_pid="$BENCH_LAST_PID"

step "benchmark: a game of $players players, each with the leaderboard open"
pg_version="$(psql_admin 'SHOW server_version' | awk '{print $1}')"
status=0
# shellcheck disable=SC2086 # GAME_ARGS is split into flags on purpose
python3 "$ROOT/bench/game_scale.py" --base "http://127.0.0.1:$port" --server-pid "$server_pid" \
  --players "$players" --rounds "${GAME_ROUNDS:-200}" --reload-rounds "${GAME_RELOAD_ROUNDS:-20}" \
  --viewers "${GAME_VIEWERS:-64}" --seconds "${GAME_SECONDS:-20}" \
  --meta "postgresql=$pg_version" --json "$result" ${GAME_ARGS:-} || status=$?
kill -0 "$server_pid" 2>/dev/null || note "the server is no longer running; its log: $log"

if [ "$status" -ne 0 ]; then
  fail "the run was incomplete (exit $status); docs/BENCHMARKS.md left as it was; result in $result"
fi
note "result: $result"
if [ "${GAME_WRITE_DOCS:-${BENCH_WRITE_DOCS:-1}}" = 1 ]; then
  python3 "$ROOT/bench/game_scale.py" --update-docs "$docs" --from-json "$result"
  step "updated the results in docs/BENCHMARKS.md"
fi
