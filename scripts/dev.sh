#!/usr/bin/env bash
# `make dev`: cargo leptos watch (rebuilds and reloads on save) against the local cluster.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" build
use_database stop-on-exit
CARGO_TARGET_DIR="$LEPTOS_TARGET_DIR" cargo leptos watch
