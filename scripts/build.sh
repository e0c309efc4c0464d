#!/usr/bin/env bash
# Builds the release server and the WASM site with cargo-leptos (quietly; the log is kept).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
step "building Papertrade in release mode (first build ~5 min, then seconds)…"
start=$(date +%s)
CARGO_TARGET_DIR="$LEPTOS_TARGET_DIR" quietly build cargo leptos build --release
"$ROOT/scripts/precompress.sh" "$(site_root)"
note "built in $(( $(date +%s) - start )) s"
