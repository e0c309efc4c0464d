#!/usr/bin/env bash
# Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside each compiled file in
# SITE_ROOT/pkg (default: target/site), for src/server/platform/http/assets.rs to send to browsers that
# accept them. Files whose copies are newer are skipped. Used by scripts/build.sh and the Dockerfile.
set -euo pipefail
pkg="${1:-target/site}/pkg"
command -v brotli >/dev/null || { echo "brotli is missing (apt-get install brotli)" >&2; exit 1; }
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -e "$file" ] || continue
  [ "$file.br" -nt "$file" ] || brotli -q 11 -f -k -o "$file.br" "$file"
  [ "$file.gz" -nt "$file" ] || gzip -9 -f -k "$file"
done
