#!/usr/bin/env bash
# The rooms of docs/ARCHITECTURE.md may import only what the table there allows; this fails
# `make test` on the first import that crosses a wall:
#   domain  → nothing of ours but domain (pure, both targets)
#   wire    → domain
#   server  → domain, wire, app (the router mounts the app; never api or ui: services do not
#             know the endpoints that call them)
#   api     → domain, wire, server (inside server-function bodies)
#   ui      → domain, wire, api (never server)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# room:forbidden rooms (as crate:: paths)
rules=(
  "domain:api|wire|server|ui|app"
  "wire:api|server|ui|app"
  "server:api|ui"
  "api:ui|app"
  "ui:server"
)

crossings=0
for rule in "${rules[@]}"; do
  room="${rule%%:*}" forbidden="${rule#*:}"
  # `crate::x` anywhere in code — use lines and paths written out — but not in comments.
  if hits=$(grep -rnE "\bcrate::($forbidden)\b" "src/$room" 2>/dev/null | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//'); then
    printf '%s\n' "$hits" | sed "s/^/  $room may not import ${forbidden//|/, }: /" >&2
    crossings=$((crossings + $(printf '%s\n' "$hits" | wc -l)))
  fi
done

[ "$crossings" -eq 0 ] || fail "$crossings import(s) cross a wall between rooms (see docs/ARCHITECTURE.md)"
note "rooms: no import crosses a wall (domain, wire, server, api, ui)"
