#!/usr/bin/env bash
# `make bench`: the load benchmark (see docs/BENCHMARKS.md, "Load"). On a fresh database seeded
# with 10,000 users and 1,000,000 trades it starts the release server and measures, with wrk and
# real session cookies, market orders at 1/16/64 clients and the dashboard page and portfolio
# server function at 16/64; pgbench's tpcb-like script on the same PostgreSQL at 1/16/64; orders
# through nginx to 1 and 2 instances and a session crossing instances; Lighthouse on three pages.
# Prints the table and, after a complete run, writes it into docs/BENCHMARKS.md.
#
# Environment (all optional):
#   TEST_DATABASE_URL  admin URL of a PostgreSQL server; default: the local cluster (scripts/db.sh)
#   BENCH_SECONDS      seconds per measurement (default 20)
#   BENCH_PORT         first of four ports: instance 1, instance 2, nginx → 1, nginx → both (3130)
#   BENCH_BUILD=0      skip the (incremental) release build of this checkout
#   BENCH_WRITE_DOCS=0 leave docs/BENCHMARKS.md alone (smoke runs with BENCH_SECONDS=2, say)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
cd "$ROOT"

seconds="${BENCH_SECONDS:-20}"
port="${BENCH_PORT:-3130}"
results="$LOG_DIR/bench-load.json"
rm -f "$results"
ulimit -n 65536 2>/dev/null || true
"$ROOT/scripts/setup.sh" bench
ensure_release_build "${BENCH_BUILD:-1}"

stamp="$(date +%s)_$$"
app_db="pt_load_$stamp" pg_db="pt_pgbench_$stamp"
step "fresh databases $app_db (the app) and $pg_db (pgbench), both with synchronous_commit = on"
fresh_database "$app_db"
fresh_database "$pg_db"
# The local cluster commits asynchronously for fast tests; a benchmark commits like production.
psql_admin "ALTER DATABASE $app_db SET synchronous_commit = on" >/dev/null
psql_admin "ALTER DATABASE $pg_db SET synchronous_commit = on" >/dev/null
export DATABASE_URL; DATABASE_URL="$(database_url "$app_db")"
export LEPTOS_SITE_ROOT; LEPTOS_SITE_ROOT="$(site_root)"
export MARKET_HOURS=always RUST_LOG=warn AUTH_RATE_LIMIT_BURST=10000 AUTH_RATE_LIMIT_REFILL_SECS=1 \
  GLOBAL_RATE_LIMIT_BURST=1000000 GLOBAL_RATE_LIMIT_PER_MINUTE=1000000
"$(server_binary)" migrate >/dev/null

step "seeding 10,000 users and 1,000,000 trades (scripts/explain-seed.sql, ~1 min)"
started=$SECONDS
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -f scripts/explain-seed.sql >/dev/null
psql -X -q "$DATABASE_URL" -c 'VACUUM ANALYZE' >/dev/null
note "seeded in $((SECONDS - started)) s"
step "pgbench -i at scale 64 (6.4 million accounts: one branch per client at 64 clients)"
quietly pgbench-init pgbench -i -s 64 -q "$(database_url "$pg_db")"

step "instance 1 on 127.0.0.1:$port"
start_instance "$port" "$LOG_DIR/bench-load-1.log"
step "orders, dashboard, portfolio function and pgbench, ${seconds} s each"
python3 bench/load.py run --base "http://127.0.0.1:$port" --pgbench-url "$(database_url "$pg_db")" \
  --seconds "$seconds" --out "$results"

step "instance 2 on 127.0.0.1:$((port + 1)); nginx → instance 1 on :$((port + 2)), → both on :$((port + 3))"
start_instance "$((port + 1))" "$LOG_DIR/bench-load-2.log"
nginx_dir="$(mktemp -d)"
BENCH_DIRS+=("$nginx_dir")
sed -e "s|@PREFIX@|$nginx_dir|g" -e "s|@ONE@|127.0.0.1:$port|g" -e "s|@TWO@|127.0.0.1:$((port + 1))|g" \
  -e "s|@LISTEN_ONE@|127.0.0.1:$((port + 2))|g" -e "s|@LISTEN_BOTH@|127.0.0.1:$((port + 3))|g" \
  bench/nginx.conf > "$nginx_dir/nginx.conf"
nginx -p "$nginx_dir" -c "$nginx_dir/nginx.conf" -g 'daemon off;' 2>"$LOG_DIR/bench-nginx.log" &
BENCH_PIDS+=("$!")
wait_for "http://127.0.0.1:$((port + 3))/readyz" "$!" "$LOG_DIR/bench-nginx.log"
step "orders through nginx to 1, then 2 instances; sessions across instances"
python3 bench/load.py scale --one "http://127.0.0.1:$((port + 2))" --two "http://127.0.0.1:$((port + 3))" \
  --instances "http://127.0.0.1:$port" "http://127.0.0.1:$((port + 1))" --seconds "$seconds" --out "$results"

step "Lighthouse (mobile) on the landing page, dashboard and stock page"
bench/lighthouse.sh "http://127.0.0.1:$port" "$results"

about="PostgreSQL $(psql_admin 'SHOW server_version' | awk '{print $1}'), ${seconds} s per measurement"
if [ "${BENCH_WRITE_DOCS:-1}" = 1 ]; then
  python3 bench/load.py report --results "$results" --docs docs/BENCHMARKS.md --about "$about"
  step "updated the results in docs/BENCHMARKS.md"
else
  python3 bench/load.py report --results "$results" --about "$about"
fi
