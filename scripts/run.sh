#!/usr/bin/env bash
# `make run`: set up, start the database (local cluster unless DATABASE_URL is set), build,
# migrate, seed on first start, and serve. Ctrl-C stops the server and the local cluster.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" build

use_database stop-on-exit

"$ROOT/scripts/build.sh"

export LEPTOS_SITE_ROOT="$(site_root)"
export PORT="${PORT:-3000}"
bin="$(server_binary)"
step "applying migrations…"
"$bin" migrate >/dev/null
"$bin" seed-db | sed 's/^/  /' >&2
if [ -z "${SMTP_URL:-}" ]; then
  # .env may set it too; the server's own start-up line says where mail goes either way.
  grep -qs '^SMTP_URL=.' .env \
    || step "mail: SMTP_URL is not set, so confirmation and password-reset letters (with their links) appear in this log"
fi
step "serving http://${HOST:-127.0.0.1}:$PORT (Ctrl-C to stop)"
# Not exec: the EXIT trap must run after the server stops, to stop the local cluster.
"$bin" serve || [ $? -eq 130 ]
