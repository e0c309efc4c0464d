#!/usr/bin/env bash
# Builds the release server and the WASM site with cargo-leptos (quietly; the log is kept).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
step "building Papertrade in release mode (first build ~5 min, then seconds)…"
start=$(date +%s)
CARGO_TARGET_DIR="$LEPTOS_TARGET_DIR" quietly build cargo leptos build --release
# A brotli and a gzip copy beside each compiled file, served by src/server/http/assets.rs.
for file in "$(site_root)"/pkg/*.{wasm,js,css}; do
  [ -e "$file" ] || continue
  [ "$file.br" -nt "$file" ] || brotli -q 11 -f -k -o "$file.br" "$file"
  [ "$file.gz" -nt "$file" ] || gzip -9 -f -k "$file"
done
note "built in $(( $(date +%s) - start )) s"
