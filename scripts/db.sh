#!/usr/bin/env bash
# The project-local PostgreSQL cluster used when DATABASE_URL is not set.
#   scripts/db.sh start          init (first time) and start the cluster, create the app database
#   scripts/db.sh url [DBNAME]   print the connection URL (default database: papertrade)
#   scripts/db.sh stop           stop the cluster (data is kept)
#   scripts/db.sh status         say whether it runs, and where
#   scripts/db.sh destroy        stop it and delete its data
#   scripts/db.sh psql [DBNAME]  open psql on it
#
# Data lives in .data/pg (git-ignored). PostgreSQL refuses to run as root, so under root the
# cluster runs as the unprivileged `postgres` user; if that user cannot reach the clone (e.g. a
# mktemp directory), the data goes to /var/lib/papertrade-dev/<hash> with .data/pg linking to it.
# It listens on 127.0.0.1 only (port PAPERTRADE_PG_PORT, default 5433), with a password that
# is generated at init and kept in .data/pg-password (mode 600).
source "$(dirname "$0")/lib.sh"

PORT="${PAPERTRADE_PG_PORT:-5433}"
DATA_LINK="$ROOT/.data/pg"
PASSWORD_FILE="$ROOT/.data/pg-password"
SUPERUSER=papertrade
APP_DB=papertrade

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || dir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"
  [ -x "$dir/initdb" ] || fail "PostgreSQL server binaries not found; run scripts/setup.sh build (or apt-get install postgresql)"
  echo "$dir"
}

# Runs a PostgreSQL server program as the cluster's owner.
as_owner() {
  # From /, because the clone may be a directory the postgres user cannot enter.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

data_dir() {
  if [ -L "$DATA_LINK" ]; then readlink "$DATA_LINK"; return; fi
  if [ -d "$DATA_LINK" ] || [ "$(id -u)" -ne 0 ]; then echo "$DATA_LINK"; return; fi
  mkdir -p "$ROOT/.data"
  if runuser -u postgres -- test -x "$ROOT/.data" 2>/dev/null; then
    echo "$DATA_LINK"
  else
    local hash; hash="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    echo "/var/lib/papertrade-dev/$hash/pg"
  fi
}

is_running() { as_owner "$(pg_bin)/pg_ctl" -D "$(data_dir)" status >/dev/null 2>&1; }

password() { cat "$PASSWORD_FILE"; }

url() { echo "postgres://$SUPERUSER:$(password)@127.0.0.1:$PORT/${1:-$APP_DB}"; }

init_cluster() {
  local data; data="$(data_dir)"
  step "creating the local PostgreSQL cluster in $data (first run only)…"
  mkdir -p "$ROOT/.data" "$(dirname "$data")"
  umask 077
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$PASSWORD_FILE"
  local pwfile; pwfile="$(dirname "$data")/.initdb-pw"
  cp "$PASSWORD_FILE" "$pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$(dirname "$data")" "$pwfile"
    [ "$data" = "$DATA_LINK" ] || ln -sfn "$data" "$DATA_LINK"
  fi
  quietly initdb as_owner "$(pg_bin)/initdb" -D "$data" -U "$SUPERUSER" --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8
  rm -f "$pwfile"
  cat >> "$data/postgresql.conf" <<CONF

# papertrade local development cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
synchronous_commit = off
max_connections = 200
CONF
}

start() {
  [ -e "$(data_dir)/PG_VERSION" ] || init_cluster
  if ! is_running; then
    step "starting the local PostgreSQL cluster on 127.0.0.1:$PORT…"
    local log; log="$(dirname "$(data_dir)")/postgres.log"
    [ "$(id -u)" -eq 0 ] && { touch "$log"; chown postgres: "$log"; }
    as_owner "$(pg_bin)/pg_ctl" -D "$(data_dir)" -l "$log" -w -t 30 -o "-p $PORT" start >/dev/null \
      || { tail -n 20 "$log" >&2; fail "PostgreSQL did not start (is port $PORT taken? set PAPERTRADE_PG_PORT)"; }
  fi
  if [ "$(PGPASSWORD="$(password)" "$(pg_bin)/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$APP_DB'")" != 1 ]; then
    PGPASSWORD="$(password)" "$(pg_bin)/createdb" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" "$APP_DB"
  fi
}

stop() {
  if [ -e "$(data_dir)/PG_VERSION" ] && is_running; then
    step "stopping the local PostgreSQL cluster…"
    as_owner "$(pg_bin)/pg_ctl" -D "$(data_dir)" -m fast -w stop >/dev/null
  fi
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  url) url "${2:-}" ;;
  status)
    if [ -e "$(data_dir)/PG_VERSION" ] && is_running; then echo "running on 127.0.0.1:$PORT, data in $(data_dir)"
    elif [ -e "$(data_dir)/PG_VERSION" ]; then echo "stopped, data in $(data_dir)"
    else echo "not created yet"; fi ;;
  destroy)
    stop
    data="$(data_dir)"
    rm -rf "$data" "$(dirname "$data")/postgres.log" "$DATA_LINK" "$PASSWORD_FILE"
    [ "$data" = "$DATA_LINK" ] || rmdir "$(dirname "$data")" 2>/dev/null || true
    echo "local cluster deleted" ;;
  psql) PGPASSWORD="$(password)" exec "$(pg_bin)/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" "${2:-$APP_DB}" ;;
  *) fail "usage: scripts/db.sh start|stop|status|url [db]|destroy|psql [db]" ;;
esac
