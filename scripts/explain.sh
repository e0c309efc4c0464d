#!/usr/bin/env bash
# `make explain`: the query plans of the hot queries at production size.
#
# Creates a throwaway database on the local cluster (scripts/db.sh; or on the server of
# EXPLAIN_ADMIN_URL, a URL of any database there whose user may CREATE DATABASE), applies
# migrations/*.sql in order with psql, seeds scripts/explain-seed.sql (10,000 users, 1,000,000
# trades, …), runs EXPLAIN (ANALYZE, BUFFERS) on each hot query — the SQL copied from
# src/server/*/repo/*.rs and src/server/accounts/store.rs, parameters substituted — and writes the plans
# to docs/EXPLAIN-plans.md (EXPLAIN_OUT to write elsewhere). Drops the database at the end.
# Needs only psql; no Rust build. docs/EXPLAIN.md reads the plans and records the decisions.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ -n "${EXPLAIN_ADMIN_URL:-}" ]; then
  ADMIN_URL="$EXPLAIN_ADMIN_URL"
else
  scripts/db.sh status >/dev/null 2>&1 || fail "the local cluster is not running: scripts/db.sh start (or set EXPLAIN_ADMIN_URL)"
  ADMIN_URL="$(scripts/db.sh url postgres)"
fi
DB="papertrade_explain_$$"
URL="$(printf '%s' "$ADMIN_URL" | sed -E "s#/[^/?]*(\\?.*)?\$#/$DB\\1#")"
OUT="${EXPLAIN_OUT:-$ROOT/docs/EXPLAIN-plans.md}"

admin() { psql -X -q -v ON_ERROR_STOP=1 "$ADMIN_URL" "$@"; }
db() { psql -X -q -v ON_ERROR_STOP=1 "$URL" "$@"; }

cleanup() { admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "creating database $DB…"
admin -c "CREATE DATABASE $DB"

step "applying migrations…"
for file in migrations/*.sql; do
  # Like sqlx: one transaction per file, unless it starts with `-- no-transaction`.
  if head -n 1 "$file" | grep -q '^-- no-transaction'; then db -f "$file" >/dev/null; else db -1 -f "$file" >/dev/null; fi
done
# What tower_sessions_sqlx_store::PostgresStore::migrate creates (src/server/platform/db.rs calls it).
db -c 'CREATE SCHEMA IF NOT EXISTS "tower_sessions"' \
   -c 'CREATE TABLE IF NOT EXISTS "tower_sessions"."session" (id TEXT PRIMARY KEY NOT NULL, data BYTEA NOT NULL, expiry_date TIMESTAMPTZ NOT NULL)'

step "seeding (10,000 users, 1,000,000 trades, …)…"
started=$SECONDS
seed_log="$(db -f scripts/explain-seed.sql)"
seed_seconds=$((SECONDS - started))
trades_time="$(printf '%s\n' "$seed_log" | grep -m1 '^Time:' || true)"
started=$SECONDS
db -c 'VACUUM ANALYZE'
vacuum_seconds=$((SECONDS - started))
step "seeded in ${seed_seconds}s (the 1,000,000 trades: ${trades_time#Time: }), VACUUM ANALYZE ${vacuum_seconds}s"

# The parameters: user 1 is the heaviest user (most trades, notifications and events).
val() { db -At -c "$1"; }
UID_HEAVY="$(val "SELECT id FROM users WHERE username = 'user00001'")"
PID_HEAVY="$(val "SELECT id FROM portfolios WHERE user_id = '$UID_HEAVY' AND archived_at IS NULL")"
UID_MEDIAN="$(val "SELECT id FROM users WHERE username = 'user05000'")"
TRADE_KEY="$(val "SELECT idempotency_key FROM trades WHERE portfolio_id = '$PID_HEAVY' ORDER BY executed_at DESC LIMIT 1 OFFSET 7")"
NOTIFICATION_ID="$(val "SELECT id FROM notifications WHERE user_id = '$UID_HEAVY' ORDER BY created_at DESC LIMIT 1 OFFSET 3")"
ALERT_ID="$(val "SELECT id FROM price_alerts WHERE user_id = '$UID_HEAVY' AND triggered_at IS NULL LIMIT 1")"
[ -n "$ALERT_ID" ] || ALERT_ID="$(val "SELECT id FROM price_alerts WHERE triggered_at IS NULL LIMIT 1")"
# A page reconnecting after missing 150 events.
LAST_EVENT_ID="$(val "SELECT id FROM user_events WHERE user_id = '$UID_HEAVY' ORDER BY id DESC LIMIT 1 OFFSET 150")"
EVENT_ID="$(val "SELECT max(id) FROM user_events")"
SESSION_ID="$(val "SELECT id FROM tower_sessions.session WHERE expiry_date > now() LIMIT 1 OFFSET 4321")"
# Today's market open (the dashboard's "today" since), an hour ago.
SINCE="$(val "SELECT (now() - interval '1 hour')::timestamptz(0)")"
NOW="$(val "SELECT now()::timestamptz(0)")"
WEEK_AGO="$(val "SELECT (now() - interval '7 days')::timestamptz(0)")"
TODAY="$(val "SELECT current_date")"
GUEST_CUTOFF="$(val "SELECT (now() - interval '30 days')::timestamptz(0)")"

sizes="$(db -At -F ' ' -c "
  SELECT 1, 'users', count(*) FROM users UNION ALL
  SELECT 2, 'portfolios (active + archived)', count(*) FROM portfolios UNION ALL
  SELECT 3, 'holdings', count(*) FROM holdings UNION ALL
  SELECT 4, 'trades', count(*) FROM trades UNION ALL
  SELECT 5, 'trades of the heaviest user', count(*) FROM trades WHERE portfolio_id = '$PID_HEAVY' UNION ALL
  SELECT 6, 'trades of the median user', count(*) FROM trades t JOIN portfolios p ON p.id = t.portfolio_id WHERE p.user_id = '$UID_MEDIAN' UNION ALL
  SELECT 7, 'portfolio_snapshots', count(*) FROM portfolio_snapshots UNION ALL
  SELECT 8, 'notifications', count(*) FROM notifications UNION ALL
  SELECT 9, 'notifications of the heaviest user', count(*) FROM notifications WHERE user_id = '$UID_HEAVY' UNION ALL
  SELECT 10, 'watchlist_items', count(*) FROM watchlist_items UNION ALL
  SELECT 11, 'price_alerts', count(*) FROM price_alerts UNION ALL
  SELECT 12, 'price_alerts waiting', count(*) FROM price_alerts WHERE triggered_at IS NULL UNION ALL
  SELECT 13, 'user_events', count(*) FROM user_events UNION ALL
  SELECT 14, 'user_events of the heaviest user', count(*) FROM user_events WHERE user_id = '$UID_HEAVY' UNION ALL
  SELECT 15, 'tower_sessions.session', count(*) FROM tower_sessions.session ORDER BY 1")"

{
  echo "# Query plans at production size (generated)"
  echo
  echo "Written by \`make explain\` (scripts/explain.sh) on $(date -u +%Y-%m-%d), PostgreSQL $(val 'SHOW server_version');"
  echo "do not edit by hand — docs/EXPLAIN.md reads these plans and records the decisions."
  echo "Each query ran once to warm the cache, then under EXPLAIN (ANALYZE, BUFFERS); statements that"
  echo "write ran inside a transaction that was rolled back."
  echo
  echo "Seed: ${seed_seconds}s (the 1,000,000-trade INSERT alone: ${trades_time#Time: }), then VACUUM ANALYZE ${vacuum_seconds}s."
  echo
  echo "| table | rows |"
  echo "|---|---:|"
  printf '%s\n' "$sizes" | sed -E 's/^[0-9]+ (.*) ([0-9]+)$/| \1 | \2 |/'
  echo
} > "$OUT"

# plan TITLE WHERE SQL [ARG…]: $n in SQL becomes the n-th ARG (already a SQL literal).
plan() {
  local title="$1" where="$2" sql="$3"; shift 3
  local i
  for ((i = $#; i >= 1; i--)); do sql="${sql//\$$i/${!i}}"; done
  db -c BEGIN -c "$sql" -c ROLLBACK >/dev/null
  local out; out="$(db -At -c BEGIN -c "EXPLAIN (ANALYZE, BUFFERS) $sql" -c ROLLBACK)"
  {
    echo "## $title"
    echo
    echo "$where"
    echo
    echo '```sql'
    printf '%s\n' "$sql"
    echo '```'
    echo
    echo '```'
    printf '%s\n' "$out"
    echo '```'
    echo
  } >> "$OUT"
  printf '  %-58s %s\n' "$title" "$(printf '%s\n' "$out" | grep -m1 'Execution Time')" >&2
}
lit() { printf "'%s'" "$1"; }
U="$(lit "$UID_HEAVY")"; P="$(lit "$PID_HEAVY")"

step "explaining…"

# --- session lookup: every request ---
plan "session load" "src/server/accounts/store.rs: PgSessionStore::load — every request with a session cookie" \
  "SELECT data FROM tower_sessions.session WHERE id = \$1 AND expiry_date > now()" "$(lit "$SESSION_ID")"
plan "session save" "src/server/accounts/store.rs: PgSessionStore::save_with — sign-in, and whenever the session changes" \
  "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES (\$1, \$2, \$3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date" \
  "$(lit "$SESSION_ID")" "'\\x00'::bytea" "now() + interval '14 days'"
plan "user by id (auth backend)" "src/server/accounts/repo/users.rs: find — axum-login get_user, every authenticated request" \
  "SELECT id, username, email, provider, avatar_url, password_hash
         FROM users WHERE id = \$1 AND is_active" "$U"

# --- dashboard ---
plan "dashboard: whose portfolio" "src/server/portfolio/repo/portfolios.rs: owned — the ownership check (owned_in), once per render" \
  "SELECT id, kind FROM portfolios WHERE user_id = \$1 AND archived_at IS NULL AND kind = 'personal'" "$U"
plan "dashboard: the portfolio and its holdings" "src/server/portfolio/repo/portfolios.rs: with_holdings — dashboard, my_portfolio (one statement)" \
  "SELECT p.id, p.cash_balance, p.starting_cash, p.created_at, h.symbol, h.shares, h.average_price
         FROM portfolios p LEFT JOIN holdings h ON h.portfolio_id = p.id
         WHERE p.id = \$1 AND p.archived_at IS NULL" "$P"
plan "dashboard: today's net trading" "src/server/portfolio/repo/trades.rs: net_since — dashboard valuation (day change)" \
  "SELECT symbol,
                SUM(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::BIGINT,
                SUM(CASE side WHEN 'buy' THEN amount ELSE -amount END)
         FROM trades WHERE portfolio_id = \$1 AND executed_at > \$2
         GROUP BY symbol" "$P" "$(lit "$SINCE")"
plan "dashboard: value chart" "src/server/portfolio/repo/snapshots.rs: history — dashboard value chart" \
  "SELECT taken_at, total_value FROM portfolio_snapshots WHERE portfolio_id = \$1 ORDER BY taken_at, id" "$P"
plan "landing page: platform figures" "src/server/portfolio/repo/stats.rs: platform — landing page \"Papertrade today\" (/api/platform_stats)" \
  "SELECT (SELECT count(*) FROM users WHERE is_active),
                (SELECT count(*) FROM trades),
                (SELECT COALESCE(sum(starting_cash), 0) FROM portfolios WHERE archived_at IS NULL)"

# --- history page --- (the same two queries, unfiltered and filtered)
HISTORY_FILTER="WHERE portfolio_id = \$1 AND (\$2::text IS NULL OR symbol = \$2) AND (\$3::text IS NULL OR side = \$3)"
HISTORY_COUNT="SELECT COUNT(*) FROM trades
         $HISTORY_FILTER"
HISTORY_PAGE="SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at FROM trades
         $HISTORY_FILTER
         ORDER BY executed_at DESC, id DESC LIMIT \$4 OFFSET \$5"
plan "history: count" "src/server/portfolio/repo/trades.rs: count — History page (ledger.rs page), no filter" \
  "$HISTORY_COUNT" "$P" "NULL" "NULL"
plan "history: first page" "src/server/portfolio/repo/trades.rs: list — History page 1, no filter" \
  "$HISTORY_PAGE" "$P" "NULL" "NULL" "20" "0"
plan "history: filtered count" "src/server/portfolio/repo/trades.rs: count — History page filtered by symbol and side" \
  "$HISTORY_COUNT" "$P" "'AAPL'" "'sell'"
plan "history: filtered first page" "src/server/portfolio/repo/trades.rs: list — History page 1 filtered by symbol and side" \
  "$HISTORY_PAGE" "$P" "'AAPL'" "'sell'" "20" "0"
plan "history: last page" "src/server/portfolio/repo/trades.rs: list — History page, the last page (deepest OFFSET)" \
  "SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at FROM trades
         WHERE portfolio_id = \$1 AND (\$2::text IS NULL OR symbol = \$2) AND (\$3::text IS NULL OR side = \$3)
         ORDER BY executed_at DESC, id DESC LIMIT \$4 OFFSET \$5" "$P" "NULL" "NULL" "20" \
  "$(val "SELECT (count(*) - 1) / 20 * 20 FROM trades WHERE portfolio_id = '$PID_HEAVY'")"
plan "history: CSV export" "src/server/portfolio/repo/trades.rs: list — ledger.rs export (limit None), the whole ledger" \
  "SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at FROM trades
         WHERE portfolio_id = \$1 AND (\$2::text IS NULL OR symbol = \$2) AND (\$3::text IS NULL OR side = \$3)
         ORDER BY executed_at DESC, id DESC LIMIT \$4 OFFSET \$5" "$P" "NULL" "NULL" "NULL" "0"

# --- order execution (src/server/trading/mod.rs: Trading::place, one read and one write) ---
plan "order: read what it decides on" "src/server/portfolio/repo/portfolios.rs: for_order — Trading::place, without locks" \
  "SELECT p.id, p.kind, p.version, p.cash_balance, p.starting_cash, p.created_at,
                r.cash AS reserved_cash, r.shares AS reserved_shares, h.symbol, h.shares, h.average_price
         FROM portfolios p
         CROSS JOIN LATERAL (
             SELECT coalesce(sum(o.reserved_cash), 0) AS cash,
                    coalesce(sum(o.quantity) FILTER (WHERE o.side = 'sell' AND o.symbol = \$3), 0)::bigint AS shares
             FROM orders o
             WHERE o.portfolio_id = p.id AND o.state = 'open' AND o.id IS DISTINCT FROM \$4
         ) r
         LEFT JOIN holdings h ON h.portfolio_id = p.id
         WHERE p.user_id = \$1 AND p.archived_at IS NULL
           AND CASE WHEN \$2::uuid IS NULL THEN p.kind = 'personal' ELSE p.id = \$2 END" "$U" "NULL" "'AAPL'" "NULL::uuid"
plan "order: lock portfolio (the locking path)" "src/server/portfolio/repo/portfolios.rs: lock — Trading::lock_quoted, orders::place" \
  "UPDATE portfolios SET version = version + 1 WHERE id = \$1 AND archived_at IS NULL
         RETURNING id, cash_balance, starting_cash, created_at" "$P"
plan "order: idempotency check" "src/server/portfolio/repo/trades.rs: by_idempotency_key — replay::earlier_execution" \
  "SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at
         FROM trades WHERE portfolio_id = \$1 AND idempotency_key = \$2" "$P" "$(lit "$TRADE_KEY")"
plan "order: the fill's one write" "src/server/portfolio/repo/fills.rs: write — every fill" \
  "WITH guard AS (
             UPDATE portfolios SET cash_balance = \$3, version = version + 1
             WHERE id = \$1 AND version = \$2 AND archived_at IS NULL
             RETURNING id
         ), trade AS (
             INSERT INTO trades (id, portfolio_id, symbol, side, quantity, price, amount, realized_pnl, cash_after,
                                 idempotency_key, executed_at, order_id, commission)
             SELECT \$4, guard.id, \$5, \$6, \$7, \$8, \$9, \$10, \$3, \$11, \$12, \$13, \$14 FROM guard
             RETURNING id
         ), event AS (
             INSERT INTO user_events (user_id, kind, payload)
             SELECT \$18, \$19, \$20
             FROM trade CROSS JOIN LATERAL (
                 SELECT pg_advisory_xact_lock(hashtextextended(\$18::text, 0)) WHERE trade.id IS NOT NULL
             ) AS locked
         ), kept AS (
             INSERT INTO holdings (portfolio_id, symbol, shares, average_price)
             SELECT guard.id, \$5, \$15, \$16 FROM guard WHERE \$15::bigint IS NOT NULL
             ON CONFLICT (portfolio_id, symbol) DO UPDATE
             SET shares = EXCLUDED.shares, average_price = EXCLUDED.average_price
         ), closed AS (
             DELETE FROM holdings h USING guard
             WHERE h.portfolio_id = guard.id AND h.symbol = \$5 AND \$15::bigint IS NULL
         ), snapshot AS (
             INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at)
             SELECT guard.id, \$21, \$3, \$17, \$12 FROM guard
         )
         SELECT count(*) FROM trade" \
  "$P" "(SELECT version FROM portfolios WHERE id = $P)" "1234.56" "gen_random_uuid()" "'AAPL'" "'buy'" "10" "123.45" \
  "1234.50" "NULL" "gen_random_uuid()" "now()" "NULL::uuid" "0" "10" "123.45" "10000.00" "$U" "'trade'" \
  "'{\"symbol\":\"AAPL\"}'::jsonb" "'trade'"
plan "order: coach facts" "src/server/coach/marks.rs: after_trade — coach::after_trade, after every order" \
  "SELECT count(*), count(*) FILTER (WHERE executed_at > \$2), max(executed_at),
                    ARRAY(SELECT advice_key FROM coach_marks WHERE user_id = \$3 ORDER BY advice_key),
                    ARRAY(SELECT last_fired_at FROM coach_marks WHERE user_id = \$3 ORDER BY advice_key)
             FROM trades WHERE portfolio_id = \$1" "$P" "$(lit "$SINCE")" "$U"

# --- notifications ---
plan "notifications: unread badge" "src/server/notifications/repo.rs: unread_count — every page (bell badge), live stream" \
  "SELECT count(*) FROM notifications WHERE user_id = \$1 AND NOT is_read AND NOT is_dismissed" "$U"
plan "notifications: count" "src/server/notifications/repo.rs: count_visible — notification centre" \
  "SELECT count(*) FROM notifications WHERE user_id = \$1 AND NOT is_dismissed" "$U"
plan "notifications: first page" "src/server/notifications/repo.rs: list_visible — notification centre page 1" \
  "SELECT id, title, message, trigger_type, link, created_at, is_read FROM notifications
         WHERE user_id = \$1 AND NOT is_dismissed
         ORDER BY created_at DESC, id DESC LIMIT \$2 OFFSET \$3" "$U" "20" "0"
plan "notifications: mark read" "src/server/notifications/repo.rs: mark_read — /api notifications" \
  "UPDATE notifications SET is_read = true, read_at = coalesce(read_at, \$3)
         WHERE id = \$1 AND user_id = \$2 RETURNING id" "$(lit "$NOTIFICATION_ID")" "$U" "now()"
plan "notifications: mark all read" "src/server/notifications/repo.rs: mark_all_read — notification centre" \
  "UPDATE notifications SET is_read = true, read_at = \$2
         WHERE user_id = \$1 AND NOT is_read AND NOT is_dismissed" "$U" "now()"

# --- live events (src/server/live/stream.rs) ---
plan "live: catch-up" "src/server/live/events.rs: after — SSE reconnect with Last-Event-ID (CATCH_UP_PAGE 200)" \
  "SELECT id, user_id, kind, payload FROM user_events WHERE user_id = \$1 AND id > \$2 ORDER BY id LIMIT \$3" \
  "$U" "$LAST_EVENT_ID" "200"
plan "live: latest id" "src/server/live/events.rs: latest_id — SSE stream opened without Last-Event-ID" \
  "SELECT coalesce(max(id), 0) FROM user_events WHERE user_id = \$1" "$U"
plan "live: event by id" "src/server/live/events.rs: by_id — listener, NOTIFY too big for its payload" \
  "SELECT id, user_id, kind, payload FROM user_events WHERE id = \$1" "$EVENT_ID"
plan "live: followed symbols" "src/server/watchlist/repo/items.rs: followed_symbols — SSE stream start (live prices)" \
  "SELECT h.symbol FROM holdings h JOIN portfolios p ON p.id = h.portfolio_id
         WHERE p.user_id = \$1 AND p.archived_at IS NULL
         UNION
         SELECT symbol FROM watchlist_items WHERE user_id = \$1
         ORDER BY 1" "$U"

# --- watchlist and alerts ---
plan "watchlist: symbols" "src/server/watchlist/repo/items.rs: symbols — Watchlist page" \
  "SELECT symbol FROM watchlist_items WHERE user_id = \$1 ORDER BY added_at, symbol" "$(lit "$UID_MEDIAN")"
plan "alerts: of user" "src/server/watchlist/repo/alerts.rs: of_user — Watchlist page" \
  "SELECT id, user_id, symbol, direction, threshold, created_at, triggered_at, triggered_price FROM price_alerts WHERE user_id = \$1
         ORDER BY triggered_at IS NOT NULL, coalesce(triggered_at, created_at) DESC" "$(lit "$UID_MEDIAN")"
plan "alerts: pending count" "src/server/watchlist/repo/alerts.rs: pending_count — creating an alert (per-user limit)" \
  "SELECT count(*) FROM price_alerts WHERE user_id = \$1 AND triggered_at IS NULL" "$(lit "$UID_MEDIAN")"
plan "alerts: pending symbols" "src/server/watchlist/repo/alerts.rs: pending_symbols — alert evaluator, every tick" \
  "SELECT DISTINCT symbol FROM price_alerts WHERE triggered_at IS NULL"
plan "alerts: crossed" "src/server/watchlist/repo/alerts.rs: crossed — alert evaluator, per symbol per tick" \
  "SELECT id FROM price_alerts
         WHERE symbol = \$1 AND triggered_at IS NULL
           AND ((direction = 'above' AND \$2 >= threshold) OR (direction = 'below' AND \$2 <= threshold))
         ORDER BY created_at" "'AAPL'" "250.00"
plan "alerts: fire" "src/server/watchlist/repo/alerts.rs: fire — alert evaluator, per crossed alert" \
  "UPDATE price_alerts SET triggered_at = \$3, triggered_price = \$2
         WHERE id = \$1 AND triggered_at IS NULL RETURNING id, user_id, symbol, direction, threshold, created_at, triggered_at, triggered_price" \
  "$(lit "$ALERT_ID")" "250.00" "now()"

# --- background jobs over every user ---
plan "coach: active portfolios page" "src/server/portfolio/repo/portfolios.rs: active_page — scheduled coach, BATCH at a time" \
  "SELECT p.id, p.user_id, p.cash_balance, p.starting_cash, p.created_at,
                (SELECT max(t.executed_at) FROM trades t WHERE t.portfolio_id = p.id) AS last_trade_at
         FROM portfolios p WHERE p.archived_at IS NULL AND p.id > \$1 ORDER BY p.id LIMIT \$2" \
  "'00000000-0000-0000-0000-000000000000'" "500"
plan "closes: portfolios lacking a close" "src/server/portfolio/repo/snapshots.rs: lacking_close — daily close job" \
  "SELECT p.id, p.cash_balance FROM portfolios p
         WHERE p.archived_at IS NULL AND p.created_at < \$2
           AND NOT EXISTS (SELECT 1 FROM portfolio_snapshots s
                           WHERE s.portfolio_id = p.id AND s.kind = 'close' AND s.trading_day = \$1)
         ORDER BY p.id LIMIT \$3" "$(lit "$TODAY")" "$(lit "$NOW")" "500"
plan "retention: old events" "src/server/live/events.rs: delete_before — background, hourly" \
  "DELETE FROM user_events WHERE created_at < \$1" "$(lit "$WEEK_AGO")"
plan "retention: expired sessions" "src/server/accounts/store.rs: sweep_expired — background" \
  "DELETE FROM tower_sessions.session WHERE expiry_date < now()"
plan "retention: stale guests" "src/server/accounts/repo/users.rs: delete_guests_created_before — background" \
  "DELETE FROM users WHERE provider = 'guest' AND created_at < \$1" "$(lit "$GUEST_CUTOFF")"

# sqlx prepares its statements; after five runs PostgreSQL may switch to a generic plan, in which
# "($2::text IS NULL OR symbol = $2)" cannot be folded away. Show that plan for the ledger page.
generic="$(db -At -c "SET plan_cache_mode = force_generic_plan" \
  -c "PREPARE ledger(uuid, text, text, bigint, bigint) AS SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at FROM trades
         WHERE portfolio_id = \$1 AND (\$2::text IS NULL OR symbol = \$2) AND (\$3::text IS NULL OR side = \$3)
         ORDER BY executed_at DESC, id DESC LIMIT \$4 OFFSET \$5" \
  -c '\o /dev/null' -c "EXECUTE ledger($P, NULL, NULL, 20, 0)" -c '\o' \
  -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE ledger($P, NULL, NULL, 20, 0)")"
{
  echo "## history: first page, generic plan (prepared statement)"
  echo
  echo "src/server/portfolio/repo/trades.rs: list as sqlx sends it — PREPARE, then EXECUTE with plan_cache_mode = force_generic_plan"
  echo
  echo '```'
  printf '%s\n' "$generic"
  echo '```'
} >> "$OUT"
printf '  %-58s %s\n' "history: first page, generic plan" "$(printf '%s\n' "$generic" | grep -m1 'Execution Time')" >&2

step "plans written to ${OUT#$ROOT/}"
