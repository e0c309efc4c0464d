#!/usr/bin/env bash
# `make test-faults`: how the release server behaves under faults, against real processes — the
# release binary and a throwaway PostgreSQL cluster of its own (never the shared or local one),
# which this script may stop, restart and delete.
#
#   1. PostgreSQL restarted, then stopped for 12 s, while clients trade: during the outage every
#      order answers 503 (never 500) within DATABASE_ACQUIRE_TIMEOUT_SECS (5 s) + 2 s, /readyz is
#      503; when the database is back, orders, /readyz and live events work again by themselves.
#   2. The server SIGKILLed three times during concurrent trading, and restarted: the ledger's money
#      invariants (scripts/ledger-invariants.sql) hold, every trade kept its value snapshot and
#      live event, and orders retried with their idempotency key executed exactly once.
#   3. SIGTERM with open event streams and orders in flight: the process exits 0 within 10 s.
#
# Bad configuration and an unreachable database at start-up are covered by the integration tests
# (tests/integration/cli.rs). Environment: FAULTS_PG_PORT (5455), FAULTS_PORT (3155),
# FAULTS_SKIP_BUILD=1 to use the release binary as it is.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)

PG_PORT="${FAULTS_PG_PORT:-5455}"
APP_PORT="${FAULTS_PORT:-3155}"
BASE="http://127.0.0.1:$APP_PORT"
OUTAGE_SECS=12
# The server's DATABASE_ACQUIRE_TIMEOUT_SECS (its default) and the longest an answer may take.
ACQUIRE_TIMEOUT=5
MAX_ANSWER_SECS=7
RECOVERY_LIMIT_SECS=10
SHUTDOWN_LIMIT_SECS=10
# Text that would mean database internals reached a client.
INTERNAL_TEXT='sqlx|sqlstate|terminating connection|error returned from database|error communicating|pool timed out|pg_|relation |duplicate key|postgres'

[ "${FAULTS_SKIP_BUILD:-}" = 1 ] || "$ROOT/scripts/build.sh"
BIN="$(server_binary)"
[ -x "$BIN" ] || fail "no release binary at $BIN (run scripts/build.sh)"
for port in "$PG_PORT" "$APP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is taken (set FAULTS_PG_PORT / FAULTS_PORT)"; fi
done

# --- a throwaway PostgreSQL cluster ------------------------------------------------------------
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/initdb" ] || PG_BIN="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"
[ -x "$PG_BIN/initdb" ] || fail "PostgreSQL server binaries not found (apt-get install postgresql)"
WORK="$(mktemp -d /tmp/papertrade-faults.XXXXXX)"
chmod 755 "$WORK"
PGDATA_DIR="$WORK/pg"
mkdir "$PGDATA_DIR" "$WORK/run"
# PostgreSQL refuses to run as root; then the cluster belongs to the unprivileged postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
touch "$WORK/postgres.log"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGDATA_DIR" "$WORK/postgres.log"
pg_ctl() { as_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" "$@" >/dev/null; }
DATABASE_URL="postgres://papertrade@127.0.0.1:$PG_PORT/papertrade"
psql_app() { psql "$DATABASE_URL" -qtAX -v ON_ERROR_STOP=1 "$@"; }

server_pid=""
cleanup() {
  local code=$?
  jobs -p | xargs -r kill 2>/dev/null || true
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  as_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true
  if [ "$code" -eq 0 ]; then rm -rf "$WORK"; else note "kept $WORK for a look (server logs in $LOG_DIR/faults-*.log)"; fi
}
trap cleanup EXIT

step "a throwaway PostgreSQL cluster on 127.0.0.1:$PG_PORT (in $WORK)"
quietly faults-initdb as_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" -U papertrade --auth=trust --encoding=UTF8 --locale=C.UTF-8
cat >>"$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 100
fsync = off
CONF
pg_ctl -l "$WORK/postgres.log" -w -t 30 start
psql "postgres://papertrade@127.0.0.1:$PG_PORT/postgres" -qc "CREATE DATABASE papertrade"

# --- the server and its clients ----------------------------------------------------------------
now() { date +%s.%N; }
uuid() { cat /proc/sys/kernel/random/uuid; }

# start_server LOG: the release server on the throwaway database, once /healthz answers.
start_server() {
  DATABASE_URL="$DATABASE_URL" PORT="$APP_PORT" HOST=127.0.0.1 LEPTOS_SITE_ROOT="$(site_root)" \
    AUTH_RATE_LIMIT_BURST=1000 GLOBAL_RATE_LIMIT_BURST=1000000 RUST_LOG="${RUST_LOG:-info}" "$BIN" serve >>"$1" 2>&1 &
  server_pid=$!
  wait_for "$BASE/healthz" "$server_pid" "$1"
}

# guest JAR: a new guest account, its session cookie in JAR.
guest() {
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$1" -X POST "$BASE/api/start_guest")
  [ "$status" = 200 ] || [ "$status" = 302 ] || [ "$status" = 303 ] || fail "start_guest answered $status"
}

# order JAR BODY SIDE QUANTITY SYMBOL KEY: prints "status seconds"; the body goes to BODY.
order() {
  curl -sS -o "$2" -w '%{http_code} %{time_total}' -m 30 -b "$1" \
    --data "symbol=$5&side=$3&quantity=$4&idempotency_key=$6" "$BASE/api/place_order" 2>/dev/null || true
}

# trader JAR LOG: trades until $WORK/run/stop exists; one line per order: start status seconds body.
# After a refused or dropped connection (status 000) it retries the same order with the same
# idempotency key, as a client that does not know whether its order executed must.
trader() {
  local jar="$1" log="$2" body="$1.body" i=0 key="" side symbol quantity result start
  local symbols=(AAPL MSFT NVDA KO)
  while [ ! -e "$WORK/run/stop" ]; do
    if [ -z "$key" ]; then
      key="$(uuid)"
      side=buy; [ $((i % 3)) = 2 ] && side=sell
      symbol="${symbols[$((i / 3 % 4))]}"
      quantity=$((i % 3 + 1))
      i=$((i + 1))
    fi
    start=$(now)
    : >"$body"
    result="$(order "$jar" "$body" "$side" "$quantity" "$symbol" "$key")"
    [ -n "$result" ] || result="000 0"
    echo "$start $result $key $(head -c 300 "$body" | tr -d '\n\r')" >>"$log"
    if [ "${result%% *}" = 000 ]; then sleep 0.1; else key=""; fi
  done
}

# readiness LOG: polls /readyz twice a second until $WORK/run/stop exists: start status seconds.
readiness() {
  while [ ! -e "$WORK/run/stop" ]; do
    echo "$(now) $(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -m 10 "$BASE/readyz" 2>/dev/null || echo '000 0')" >>"$1"
    sleep 0.5
  done
}

stop_clients() { touch "$WORK/run/stop"; wait "$@" 2>/dev/null || true; rm -f "$WORK/run/stop"; }

no_internal_text() {
  if grep -Eio "$INTERNAL_TEXT" "$@" | head -n 3 | grep -q .; then
    grep -Ei "$INTERNAL_TEXT" "$@" | head -n 3 >&2
    fail "database text reached a client"
  fi
}

# === 1. PostgreSQL restarted and stopped while clients trade ===================================
step "1/3 PostgreSQL restarted, then stopped for $OUTAGE_SECS s, while 6 clients trade"
log="$LOG_DIR/faults-restart.log"
: >"$log"
start_server "$log"
pids=()
for n in 1 2 3 4 5 6; do
  guest "$WORK/t$n.jar"
  order "$WORK/t$n.jar" /dev/null buy 20 AAPL "$(uuid)" >/dev/null
  trader "$WORK/t$n.jar" "$WORK/restart.orders" & pids+=($!)
done
readiness "$WORK/restart.ready" & pids+=($!)
sleep 3
restart_at=$(now)
pg_ctl -m fast -w restart
restarted_at=$(now)
sleep 3
down_at=$(now)
pg_ctl -m fast -w stop
stopped_at=$(now)
sleep "$OUTAGE_SECS"
up_at=$(now)
pg_ctl -l "$WORK/postgres.log" -w -t 30 start
back_at=$(now)
# Orders succeed again by themselves: wait for the first success after the database is back.
recovered_at=""
for _ in $(seq 1 $((RECOVERY_LIMIT_SECS * 10))); do
  recovered_at=$(awk -v back="$back_at" '$1 >= back && $2 == 200 { printf "%.6f\n", $1 + $3; exit }' "$WORK/restart.orders")
  [ -n "$recovered_at" ] && break
  sleep 0.1
done
[ -n "$recovered_at" ] || fail "no order succeeded within $RECOVERY_LIMIT_SECS s of the database coming back"
sleep 3
steady_from=$(now)
sleep 2
stop_clients "${pids[@]}"

orders="$WORK/restart.orders"
no_internal_text "$orders"
awk -v limit="$MAX_ANSWER_SECS" '
  $2 != 200 && $2 != 400 && $2 != 503 { bad++; if (bad <= 3) print "  unexpected answer: " $0 > "/dev/stderr" }
  $3 + 0 >= limit { slow++; if (slow <= 3) print "  slow answer: " $0 > "/dev/stderr" }
  END { exit (bad + slow > 0) }' "$orders" || fail "orders answered other than 200/400/503, or took $MAX_ANSWER_SECS s or more"
# Orders sent after the stop completed and answered before the start began: all 503 with the
# opaque JSON error. (One sent while `pg_ctl stop` was still under way may rightly execute: an
# order is 3 ms, and PostgreSQL takes some to shut down.)
outage="$WORK/outage.orders"
awk -v from="$stopped_at" -v to="$up_at" '$1 >= from && $1 + $3 <= to' "$orders" >"$outage"
outage_count=$(wc -l <"$outage")
outage_bad=$(awk '$2 != 503 || $5 != "\"Unavailable\""' "$outage" | wc -l)
outage_median=$(awk '{ print $3 }' "$outage" | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f", NR ? t[int((NR + 1) / 2)] : 0 }')
outage_max=$(awk '{ print $3 }' "$outage" | sort -n | awk 'END { printf "%.2f", $1 }')
[ "$outage_count" -gt 0 ] || fail "no order was answered during the outage"
[ "$outage_bad" -eq 0 ] || fail "$outage_bad orders during the outage were not a 503 \"Unavailable\""
awk -v m="$outage_median" -v lo="$((ACQUIRE_TIMEOUT - 1))" -v hi="$MAX_ANSWER_SECS" 'BEGIN { exit !(m >= lo && m < hi) }' \
  || fail "outage answers took $outage_median s (median), not about the ${ACQUIRE_TIMEOUT} s acquire timeout"
read -r blip_503 blip_total < <(awk -v from="$restart_at" -v to="$((${restarted_at%.*} + 6))" \
  '$1 + $3 >= from && $1 <= to { n++; if ($2 == 503) e++ } END { print e + 0, n + 0 }' "$orders")
read -r steady_count steady_bad < <(awk -v from="$steady_from" \
  '$1 >= from { n++; if ($2 != 200 && $2 != 400) bad++ } END { print n + 0, bad + 0 }' "$orders")
[ "$steady_count" -gt 0 ] && [ "$steady_bad" -eq 0 ] || fail "after recovery $steady_bad of $steady_count orders failed"
# /readyz: 503 while the database was down, 200 again after.
read -r ready_down ready_down_bad ready_after < <(awk -v from="$stopped_at" -v to="$up_at" -v after="$steady_from" '
  $1 >= from && $1 + $3 <= to { n++; if ($2 != 503) bad++ }
  $1 >= after { last = $2 } END { print n + 0, bad + 0, last }' "$WORK/restart.ready")
[ "$ready_down" -gt 0 ] && [ "$ready_down_bad" -eq 0 ] || fail "/readyz was not 503 throughout the outage"
[ "$ready_after" = 200 ] || fail "/readyz is $ready_after after the database came back"
# Live events flow again: the listener reconnected by itself.
curl -sS -N -m 6 -b "$WORK/t1.jar" "$BASE/events" >"$WORK/events.after" 2>/dev/null &
sse=$!
sleep 1
[ "$(order "$WORK/t1.jar" /dev/null buy 1 KO "$(uuid)" | cut -d' ' -f1)" = 200 ] || fail "an order after recovery failed"
wait "$sse" || true
grep -q '^event: trade' "$WORK/events.after" || fail "no live trade event after the database came back"
kill -0 "$server_pid" || fail "the server died"
note "$(wc -l <"$orders") orders; restart -m fast: $blip_503 of $blip_total orders around it answered 503"
note "outage ($OUTAGE_SECS s): $outage_count orders, all 503 \"Unavailable\", median $outage_median s, max $outage_max s; /readyz 503 ×$ready_down"
note "database back: first order executed $(awk -v a="$back_at" -v b="$recovered_at" 'BEGIN { printf "%.2f", b - a }') s after start-up, no server restart; then $steady_count orders all fine, /readyz 200, live events flow"
kill "$server_pid"; wait "$server_pid" || true; server_pid=""

# === 2. kill -9 during concurrent trading ======================================================
step "2/3 the server SIGKILLed 3 times while 8 clients trade, then restarted"
log="$LOG_DIR/faults-kill.log"
: >"$log"
start_server "$log"
pids=()
for n in $(seq 1 8); do
  guest "$WORK/k$n.jar"
  trader "$WORK/k$n.jar" "$WORK/kill.orders" & pids+=($!)
done
for round in 1 2 3; do
  sleep 2.5
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  sleep 0.5
  start_server "$log"
done
sleep 2
stop_clients "${pids[@]}"
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server "$log"

no_internal_text "$WORK/kill.orders"
violations="$(psql_app -F ' | ' -f scripts/ledger-invariants.sql)"
[ -z "$violations" ] || { echo "$violations" >&2; fail "the ledger's money invariants do not hold after kill -9"; }
# Written in the order's transaction: a trade never lacks its value snapshot or its live event.
orphans="$(psql_app -c "
  SELECT count(*) FROM trades t
  WHERE NOT EXISTS (SELECT 1 FROM portfolio_snapshots s WHERE s.portfolio_id = t.portfolio_id
                      AND s.kind = 'trade' AND s.taken_at = t.executed_at AND s.cash = t.cash_after)
     OR NOT EXISTS (SELECT 1 FROM user_events e WHERE e.kind = 'trade' AND e.payload->>'trade_id' = t.id::text)")"
[ "$orphans" = 0 ] || fail "$orphans trades lack their value snapshot or live event"
read -r trades portfolios < <(psql_app -F ' ' -c "SELECT count(*), count(DISTINCT portfolio_id) FROM trades")
# Orders whose connection was cut or refused by a kill, and what their retries found.
read -r cut_off retried_ok replayed < <(awk '$2 == "000" { cut[$4] = 1 } $2 == 200 { ok[$4] = 1; if (/"replayed":true/) r++ }
  END { for (k in cut) { n++; if (k in ok) e++ } print n + 0, e + 0, r + 0 }' "$WORK/kill.orders")
# Each idempotency key executed at most once (also a UNIQUE constraint), and every 200 has its trade.
answered_keys="$(awk '$2 == 200 { print $4 }' "$WORK/kill.orders" | sort -u | wc -l)"
[ "$answered_keys" -le "$trades" ] || fail "$answered_keys orders were answered 200 but only $trades trades exist"
keys="$(awk '$2 == 200 { print $4 }' "$WORK/kill.orders" | sort -u | paste -sd, -)"
missing="$(psql_app -c "SELECT count(*) FROM unnest('{$keys}'::uuid[]) AS answered (key)
  WHERE NOT EXISTS (SELECT 1 FROM trades t WHERE t.idempotency_key = answered.key)")"
[ "$missing" = 0 ] || fail "$missing orders answered 200 have no trade"
[ "$(order "$WORK/k1.jar" /dev/null buy 1 AAPL "$(uuid)" | cut -d' ' -f1)" = 200 ] || fail "trading does not work after the restarts"
note "3 kills cut off or refused $cut_off orders; retried with the same key, $retried_ok executed once each ($replayed had executed before the kill: answered as replays)"
note "$trades trades in $portfolios portfolios (both scenarios so far)"
note "after kill -9 and restart: all ledger invariants hold, no trade without its snapshot and event"
kill "$server_pid"; wait "$server_pid" || true; server_pid=""

# === 3. SIGTERM with open event streams and orders in flight ===================================
step "3/3 SIGTERM with 3 open event streams and 4 clients' orders in flight"
log="$LOG_DIR/faults-term.log"
: >"$log"
start_server "$log"
guest "$WORK/s.jar"
streams=()
for n in 1 2 3; do
  curl -sS -N -b "$WORK/s.jar" "$BASE/events" >"$WORK/stream$n" 2>/dev/null &
  streams+=($!)
done
pids=()
for n in 1 2 3 4; do
  guest "$WORK/g$n.jar"
  trader "$WORK/g$n.jar" "$WORK/term.orders" & pids+=($!)
done
sleep 1
for n in 1 2 3; do grep -q '^event: ready' "$WORK/stream$n" || fail "event stream $n did not open"; done
# Another session holds every portfolio's row lock for 3 s, so the orders sent meanwhile wait
# inside the server: they are in flight when SIGTERM comes, and must still be answered.
psql_app -c "BEGIN; SELECT count(*) FROM (SELECT 1 FROM portfolios FOR UPDATE) locked; SELECT pg_sleep(3); COMMIT" >/dev/null &
locker=$!
sleep 1
term_at=$(now)
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
exited_at=$(now)
server_pid=""
took=$(awk -v a="$term_at" -v b="$exited_at" 'BEGIN { printf "%.2f", b - a }')
streams_open=0
sleep 0.5
for pid in "${streams[@]}"; do kill -0 "$pid" 2>/dev/null && streams_open=$((streams_open + 1)); done
stop_clients "${pids[@]}"
wait "$locker" || true
kill "${streams[@]}" 2>/dev/null || true
[ "$code" -eq 0 ] || fail "the server exited with $code after SIGTERM"
awk -v t="$took" -v limit="$SHUTDOWN_LIMIT_SECS" 'BEGIN { exit !(t < limit) }' || fail "shutdown took $took s"
[ "$streams_open" -eq 0 ] || fail "$streams_open event streams were still open after the server exited"
in_flight="$(awk -v at="$term_at" '$1 <= at && $1 + $3 >= at' "$WORK/term.orders" | wc -l)"
in_flight_ok="$(awk -v at="$term_at" '$1 <= at && $1 + $3 >= at && $2 == 200' "$WORK/term.orders" | wc -l)"
[ "$in_flight" -gt 0 ] || fail "no order was in flight at SIGTERM"
[ "$in_flight_ok" -eq "$in_flight" ] || fail "only $in_flight_ok of $in_flight orders in flight at SIGTERM executed"
bad="$(awk '$2 != 200 && $2 != 400 && $2 != "000"' "$WORK/term.orders" | wc -l)"
[ "$bad" -eq 0 ] || fail "$bad orders failed during shutdown"
grep -q 'shutting down' "$log" || fail "the server did not log its shutdown"
note "exit code 0 after $took s; 3 event streams closed by the server; all $in_flight orders in flight at SIGTERM (waiting on a row lock) executed"

step "faults: all passed in $(( $(date +%s) - started )) s"
