#!/usr/bin/env bash
# Installs what building and testing need, skipping anything already present at the right version.
#   scripts/setup.sh build   toolchain for building the app (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
#   scripts/setup.sh test    the above plus cargo-deny, Chromium and the Playwright packages
source "$(dirname "$0")/lib.sh"

CARGO_LEPTOS_VERSION=0.3.10
CARGO_DENY_VERSION=0.20.2

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root to run: $* (install it yourself, or run as root)"; fi
}

apt_install() {
  step "installing $* with apt (first run only, ~1 min)…"
  quietly apt-install as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" \
    || { quietly apt-update as_root apt-get update && quietly apt-install as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; }
}

# cargo_install NAME ARGS...: `cargo install` for a tool whose own speed hardly matters (it drives
# the build, it is not the build): no LTO, many codegen units, opt-level 1, and one target directory
# shared by every tool so their common crates (tokio, serde, clap…) compile once. The time it took
# goes to the log's last line.
cargo_install() {
  local name="$1"; shift
  local started; started=$(date +%s)
  CARGO_TARGET_DIR="$CACHE_DIR/tools-target" \
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL="${TOOL_OPT_LEVEL:-1}" CARGO_PROFILE_RELEASE_DEBUG=0 \
    quietly "$name" cargo install "$@"
  echo "installed in $(( $(date +%s) - started )) s" >>"$LOG_DIR/$name.log"
  note "$name: $(( $(date +%s) - started )) s"
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return
  step "adding the wasm32-unknown-unknown target (first run only, ~20 s)…"
  quietly rustup-target rustup target add wasm32-unknown-unknown
}

ensure_cargo_leptos() {
  cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$" && return
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (first run only, ~8 min)…"
  # It only drives the build (cargo, wasm-bindgen and wasm-opt do the work), so it is compiled
  # unoptimised: 482 s cold on 2 cores against 900 s at opt-level 1.
  TOOL_OPT_LEVEL=0 cargo_install cargo-leptos-install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
}

ensure_wasm_bindgen() {
  local want; want="$(locked_version wasm-bindgen)"
  [ -n "$want" ] || fail "cannot read the wasm-bindgen version from Cargo.lock"
  wasm-bindgen --version 2>/dev/null | grep -q " $want\$" && return
  step "installing wasm-bindgen-cli $want to match Cargo.lock (first run only, ~3 min)…"
  # Not --locked: its own lockfile wants a webpki-roots release the registry lacks.
  cargo_install wasm-bindgen-install wasm-bindgen-cli --version "=$want" --force
}

ensure_wasm_opt() {
  # Debian's binaryen 108 breaks hydration; the crates.io build (binaryen 116) works.
  [ -x "$HOME/.cargo/bin/wasm-opt" ] && return
  step "installing wasm-opt (first run only, ~9 min)…"
  # binaryen's C++ follows the profile's opt-level, and it does run on every release build: keep -O3.
  TOOL_OPT_LEVEL=3 cargo_install wasm-opt-install wasm-opt --locked
}

ensure_cargo_deny() {
  cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION\$" && return
  step "installing cargo-deny $CARGO_DENY_VERSION (first run only, ~10 min)…"
  cargo_install cargo-deny-install cargo-deny --version "$CARGO_DENY_VERSION" --locked
}

# The Debian packages a goal needs and lacks, installed with one apt run.
missing_packages() {
  local goal="$1" missing=()
  if [ -z "${DATABASE_URL:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
    && ! command -v initdb >/dev/null; then
    missing+=(postgresql)
  fi
  command -v brotli >/dev/null || missing+=(brotli)
  if [ "$goal" != build ]; then
    [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  fi
  if [ "$goal" = bench ]; then
    # wrk, pgbench and nginx for `make bench`.
    command -v wrk >/dev/null || missing+=(wrk)
    command -v pgbench >/dev/null || missing+=(postgresql-contrib)
    command -v nginx >/dev/null || missing+=(nginx)
  fi
  echo "${missing[@]}"
}

ensure_packages() {
  local missing; missing="$(missing_packages "$1")"
  [ -z "$missing" ] || apt_install $missing
}

ensure_playwright() {
  local dir="$ROOT/end2end"
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return
  fi
  step "installing the Playwright packages (npm ci)…"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 quietly npm-ci npm ci --no-audit --no-fund)
}

# The installs run as two lanes side by side: the compiles one after another (they are CPU-bound:
# on a bare 2-core machine, cargo-leptos and wasm-opt built side by side took 1447 s and 1236 s
# against 900 s and 569 s one after the other, no gain), and the downloads (apt, then npm), which
# mostly wait on the network and so hide behind the compiles.
lanes=()
lane() { "$@" & lanes+=($!); }
wait_for_lanes() {
  local failed=0
  for pid in "${lanes[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" -eq 0 ] || fail "set-up failed (see the lines above)"
}
compiled_tools() {
  ensure_cargo_leptos; ensure_wasm_bindgen; ensure_wasm_opt
  [ "$1" != test ] || ensure_cargo_deny
}
system_packages() {
  ensure_packages "$1"
  [ "$1" != test ] || ensure_playwright
}

goal="${1:-build}"
case "$goal" in
  build|test|bench) ;;
  *) fail "usage: scripts/setup.sh [build|test|bench]" ;;
esac
started=$(date +%s)
ensure_wasm_target
lane compiled_tools "$goal"
lane system_packages "$goal"
wait_for_lanes
elapsed=$(( $(date +%s) - started ))
[ "$elapsed" -lt 5 ] || note "set-up took $elapsed s"
