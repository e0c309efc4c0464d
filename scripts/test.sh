#!/usr/bin/env bash
# `make test`: everything, failing on the first failure.
#   formatting, the rooms check (scripts/check-rooms.sh), clippy (server and browser builds, warnings denied), cargo-deny (licenses, banned and
#   duplicate crates; offline), unit and integration tests
#   against a real PostgreSQL (a fresh database per test), then Playwright against the real server.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)

"$ROOT/scripts/setup.sh" test

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_local_cluster stop-on-exit
  TEST_DATABASE_URL="$("$ROOT/scripts/db.sh" url postgres)"
  export TEST_DATABASE_URL
fi

export CARGO_TARGET_DIR="$DEV_TARGET_DIR"

step "cargo fmt --check"
cargo fmt --all -- --check

step "rooms: which module may import which (docs/ARCHITECTURE.md)"
"$ROOT/scripts/check-rooms.sh"

step "clippy (ssr: server build, all targets)"
quietly clippy-ssr cargo clippy --no-default-features --features ssr --all-targets -- -D warnings

step "clippy (hydrate: browser build)"
quietly clippy-hydrate cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

"$ROOT/scripts/deny.sh"

step "dropping databases left by earlier test runs"
psql "${TEST_DATABASE_URL%/*}/postgres" -qtA -c "SELECT datname FROM pg_database WHERE datname LIKE 'pt\_test\_%' OR datname LIKE 'pt\_e2e\_%'" \
  | while read -r stale; do psql "${TEST_DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$stale\" WITH (FORCE)"; done

step "unit and integration tests (PostgreSQL at ${TEST_DATABASE_URL##*@})"
# They take ~3 min here; a hang must fail the run, not eat CI's 90 minutes.
# Panic messages without backtraces: a failure's excerpt then shows what failed, not where in tokio.
RUST_BACKTRACE=0 timeout --kill-after=30 1200 cargo test --no-default-features --features ssr --quiet \
  || fail "unit or integration tests failed (exit $?; 124 means they ran past 20 minutes)"

"$ROOT/scripts/build.sh"
"$ROOT/scripts/client-budget.sh"
"$ROOT/scripts/e2e.sh"

step "all checks passed in $(( $(date +%s) - started )) s"
