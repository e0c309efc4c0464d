#!/usr/bin/env bash
# Runs the Playwright suite in Debian's Chromium against the real release server, on a fresh
# seeded database that is dropped afterwards. A second instance of the server shares that
# database (its address is E2E_SECOND_URL). Expects TEST_DATABASE_URL (an admin URL).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

[ -n "${TEST_DATABASE_URL:-}" ] || fail "TEST_DATABASE_URL is not set"
port="${E2E_PORT:-3123}"
oauth_port="${E2E_OAUTH_PORT:-3124}"
smtp_port="${E2E_SMTP_PORT:-3127}"
mailbox_port="${E2E_MAILBOX_PORT:-3128}"
# A second instance of the same binary on the same database: live events must cross instances.
second_port="${E2E_SECOND_PORT:-$((port + 3))}"
# A third instance, on a database of its own, takes its prices from a stand-in for Finnhub that
# the tests set (end2end/quote-server.mjs), so an order can be watched filling on a price move.
quotes_port="${E2E_QUOTES_PORT:-3129}"
priced_port="${E2E_PRICED_PORT:-3130}"
db="pt_e2e_$(date +%s)_$$"
priced_db="${db}_priced"
admin_url="${TEST_DATABASE_URL%/*}/postgres"
psql_admin() { psql "$admin_url" -qtAc "$1" >/dev/null; }

psql_admin "CREATE DATABASE $db"
log="$LOG_DIR/e2e-server.log"
second_log="$LOG_DIR/e2e-server-2.log"
server_pid=""
second_pid=""
priced_pid=""
quotes_pid=""
oauth_pid=""
mail_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$second_pid" ] && kill "$second_pid" 2>/dev/null && wait "$second_pid" 2>/dev/null
  [ -n "$priced_pid" ] && kill "$priced_pid" 2>/dev/null && wait "$priced_pid" 2>/dev/null
  [ -n "$quotes_pid" ] && kill "$quotes_pid" 2>/dev/null && wait "$quotes_pid" 2>/dev/null
  [ -n "$oauth_pid" ] && kill "$oauth_pid" 2>/dev/null && wait "$oauth_pid" 2>/dev/null
  [ -n "$mail_pid" ] && kill "$mail_pid" 2>/dev/null && wait "$mail_pid" 2>/dev/null
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  psql_admin "DROP DATABASE IF EXISTS $priced_db WITH (FORCE)" || true
}
trap cleanup EXIT

# A real OpenID Connect server process stands in for Google (npm oauth2-mock-server).
node end2end/oauth-provider.mjs "$oauth_port" >"$LOG_DIR/e2e-oauth.log" 2>&1 &
oauth_pid=$!
wait_for "http://127.0.0.1:$oauth_port/.well-known/openid-configuration" "$oauth_pid" "$LOG_DIR/e2e-oauth.log"
oauth="http://127.0.0.1:$oauth_port"
export GOOGLE_CLIENT_ID=papertrade-e2e GOOGLE_CLIENT_SECRET=e2e-secret GOOGLE_AUTH_URL="$oauth/authorize" \
  GOOGLE_TOKEN_URL="$oauth/token" GOOGLE_USERINFO_URL="$oauth/userinfo"

# A real SMTP server process receives the app's letters; the tests read them over its HTTP side.
node end2end/mail-server.mjs "$smtp_port" "$mailbox_port" >"$LOG_DIR/e2e-mail.log" 2>&1 &
mail_pid=$!
wait_for "http://127.0.0.1:$mailbox_port/messages" "$mail_pid" "$LOG_DIR/e2e-mail.log"
export SMTP_URL="smtp://127.0.0.1:$smtp_port" MAIL_FROM="Papertrade <no-reply@papertrade.test>"

# Every test signs in from 127.0.0.1; a roomy limit keeps the per-IP rate limit out of the way.
# The simulated market's day moves are the date's own; the coach's spec counts notifications, so
# its lesson on market orders far from the close waits for a move no simulated day makes.
export DATABASE_URL="${TEST_DATABASE_URL%/*}/$db" LEPTOS_SITE_ROOT="$(site_root)" PORT="$port" HOST=127.0.0.1 \
  AUTH_RATE_LIMIT_BURST=500 COACH_FAR_FROM_CLOSE_PERCENT=100
"$(server_binary)" migrate >/dev/null
"$(server_binary)" seed-db >/dev/null
"$(server_binary)" serve >"$log" 2>&1 &
server_pid=$!
# The database is migrated and seeded once; the second instance only serves.
PORT="$second_port" "$(server_binary)" serve >"$second_log" 2>&1 &
second_pid=$!

node end2end/quote-server.mjs "$quotes_port" e2e-finnhub-key >"$LOG_DIR/e2e-quotes.log" 2>&1 &
quotes_pid=$!
psql_admin "CREATE DATABASE $priced_db"
priced_log="$LOG_DIR/e2e-server-priced.log"
(
  export DATABASE_URL="${TEST_DATABASE_URL%/*}/$priced_db" PORT="$priced_port" FINNHUB_API_KEY=e2e-finnhub-key \
    FINNHUB_BASE_URL="http://127.0.0.1:$quotes_port/api/v1" FINNHUB_CACHE_SECS=1 FINNHUB_CALLS_PER_MINUTE=1000
  "$(server_binary)" migrate >/dev/null
  exec "$(server_binary)" serve
) >"$priced_log" 2>&1 &
priced_pid=$!
wait_for "http://127.0.0.1:$port/readyz" "$server_pid" "$log"
wait_for "http://127.0.0.1:$second_port/readyz" "$second_pid" "$second_log"
wait_for "http://127.0.0.1:$quotes_port/prices" "$quotes_pid" "$LOG_DIR/e2e-quotes.log"
wait_for "http://127.0.0.1:$priced_port/readyz" "$priced_pid" "$priced_log"

step "running the Playwright suite (desktop and phone viewports)…"
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$port" E2E_SECOND_URL="http://127.0.0.1:$second_port" \
  E2E_PRICED_URL="http://127.0.0.1:$priced_port" E2E_QUOTES_URL="http://127.0.0.1:$quotes_port" \
  E2E_MAILBOX_URL="http://127.0.0.1:$mailbox_port" npx playwright test ${E2E_ARGS:-})
