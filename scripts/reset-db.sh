#!/usr/bin/env bash
# `make reset-db`: drop everything in the development database, migrate and seed.
# Against a DATABASE_URL that does not look like development, the binary refuses without --force.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" build
use_database
"$ROOT/scripts/build.sh"
"$(server_binary)" reset-db "$@"
