# Shared helpers for the project scripts: paths, progress lines, quiet command runs.
# Sourced, not executed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${PAPERTRADE_CACHE:-$HOME/.cache/papertrade}"
LOG_DIR="$CACHE_DIR/logs"
mkdir -p "$LOG_DIR"

# Builds live outside the clone so fresh clones (and CI) reuse them.
# cargo-leptos and plain cargo use different flags, so each gets its own directory.
# PAPERTRADE_RELEASE_TARGET_DIR moves the release build (e.g. one per worktree).
LEPTOS_TARGET_DIR="${PAPERTRADE_RELEASE_TARGET_DIR:-$CACHE_DIR/target}"
DEV_TARGET_DIR="$CACHE_DIR/target-dev"

export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\033[1;36m▸\033[0m %s\n' "$*" >&2; }
note() { printf '  %s\n' "$*" >&2; }
fail() { printf '\033[1;31m✗ %s\033[0m\n' "$*" >&2; exit 1; }

# quietly NAME CMD...: runs CMD with its output in $LOG_DIR/NAME.log; on failure shows the tail.
quietly() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log"
  if ! "$@" >"$log" 2>&1; then
    printf '\033[1;31m✗ %s failed; last lines of %s:\033[0m\n' "$name" "$log" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
}

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Where cargo-leptos puts the compiled site (CSS, JS, WASM, public files); PAPERTRADE_SITE_ROOT and
# PAPERTRADE_SERVER_BINARY point the benchmarks at another build (an older commit's, to compare).
site_root() { echo "${PAPERTRADE_SITE_ROOT:-$ROOT/target/site}"; }

# wait_for URL PID LOG: until URL answers 2xx (10 s at most); fails at once, showing the end of
# LOG, if process PID exits meanwhile.
wait_for() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 100); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; fail "a process exited during start-up (see $log)"; }
    sleep 0.1
  done
  fail "$url did not answer within 10 s"
}
server_binary() { echo "${PAPERTRADE_SERVER_BINARY:-$LEPTOS_TARGET_DIR/release/papertrade}"; }

# Starts the project-local cluster. With "stop-on-exit", a cluster that was not already running
# is stopped again when the calling script exits (one that was running is left alone).
start_local_cluster() {
  local was_running=no
  "$ROOT/scripts/db.sh" status | grep -q '^running' && was_running=yes
  "$ROOT/scripts/db.sh" start
  if [ "${1:-}" = stop-on-exit ] && [ "$was_running" = no ]; then
    trap '"$ROOT/scripts/db.sh" stop' EXIT
  fi
}

# Exports DATABASE_URL: the caller's if set, else the local cluster's (started if needed).
use_database() {
  [ -n "${DATABASE_URL:-}" ] && return
  start_local_cluster "${1:-}"
  DATABASE_URL="$("$ROOT/scripts/db.sh" url)"
  export DATABASE_URL
}
