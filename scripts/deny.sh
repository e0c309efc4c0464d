#!/usr/bin/env bash
# Dependency hygiene with cargo-deny (rules in deny.toml).
#   scripts/deny.sh               licenses, banned and duplicate crates, sources — offline; `make test`
#   scripts/deny.sh --advisories  the same plus the RustSec advisories, fetched from the internet; `make audit`
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
if [ "${1:-}" = "--advisories" ]; then
  step "cargo deny: advisories (fetches the RustSec database), licenses, bans, sources"
  cargo deny --locked check advisories licenses bans sources
else
  step "cargo deny: licenses, bans (banned and duplicate crates), sources"
  # cargo-deny reads the metadata of every crate in Cargo.lock, other platforms' too (chrono's
  # Android and Windows helpers), which a build here never downloads: fetch them first (a no-op
  # once they are in cargo's cache), so a fresh machine passes offline like any other.
  quietly cargo-fetch cargo fetch --locked
  cargo deny --offline --locked check licenses bans sources
fi
