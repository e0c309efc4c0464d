#!/usr/bin/env bash
# The client budget: the WASM and JS a browser downloads for the whole app, brotli-compressed
# (quality 11, as scripts/build.sh precompresses them), must stay within CLIENT_BUDGET_KB.
# Run by `make test` after the release build; prints the figure either way.
#
# The issue's goal is 300 KB. Today's app is over it (docs/BENCHMARKS.md, "Client budget", says
# by how much and why), so the default is a ratchet just above today's size: growth fails the
# build, and each cut lowers the line. It was raised three times, each time measured and said why
# in docs/BENCHMARKS.md: from 450 to 480 for orders that wait (issue 17), from 480 to 534 for
# games (issue 18: five pages, the teacher's view and the portfolio bar), and to 544 for running
# a class (co-organisers, moving the end, the final chart); the cut to 300 KB is issue 19's.
source "$(dirname "$0")/lib.sh"
budget_kb="${CLIENT_BUDGET_KB:-544}"
goal_kb=300
pkg="$(site_root)/pkg"
command -v brotli >/dev/null || fail "brotli is missing: run scripts/setup.sh build (or apt-get install brotli)"

total=0
report=""
shopt -s nullglob
files=("$pkg"/*.wasm "$pkg"/*.js)
[ "${#files[@]}" -gt 0 ] || fail "no WASM or JS in $pkg: build the site first (scripts/build.sh)"
for file in "${files[@]}"; do
  bytes="$(brotli -c -q 11 "$file" | wc -c)"
  total=$((total + bytes))
  report+="$(basename "$file") $((bytes / 1024)) KB (raw $(( $(wc -c < "$file") / 1024 )) KB); "
done
kb=$(( (total + 1023) / 1024 ))
step "client budget: WASM + JS, brotli: ${kb} KB of ${budget_kb} KB allowed (goal ${goal_kb} KB)"
note "${report%; }"
[ "$kb" -le "$budget_kb" ] || fail "the app's WASM + JS is ${kb} KB brotli-compressed, over the ${budget_kb} KB budget"
