# Papertrade — the two commands are `make run` and `make test`; see README.md.
.PHONY: run test test-faults audit dev build setup reset-db db-start db-stop db-destroy psql bench bench-statements bench-game bench-sse explain

run:            ## install what is missing, start PostgreSQL, build, migrate, seed, serve :3000
	@scripts/run.sh

test:           ## fmt, clippy (ssr + hydrate), unit + integration tests, Playwright
	@scripts/test.sh

test-faults:    ## PostgreSQL restart, kill -9, SIGTERM against the release server (own throwaway cluster)
	@scripts/faults.sh

audit:          ## cargo-deny with the RustSec advisories (needs the internet), plus licenses and bans
	@scripts/deny.sh --advisories

dev:            ## cargo leptos watch against the local cluster (auto-reload)
	@scripts/dev.sh

build:          ## release build of server and WASM
	@scripts/setup.sh build && scripts/build.sh

setup:          ## install the toolchain, Chromium and Playwright packages
	@scripts/setup.sh test

reset-db:       ## drop, migrate and seed the development database
	@scripts/reset-db.sh

db-start db-stop:
	@scripts/db.sh $(subst db-,,$@)

db-destroy:     ## delete the local cluster and its data
	@scripts/db.sh destroy

psql:           ## psql on the development database
	@scripts/db.sh psql

bench:          ## load benchmark (orders, pages, pgbench, nginx 1 vs 2 instances, Lighthouse), then games at class scale → docs/BENCHMARKS.md
	@bench/load.sh
	@bench/game_scale.sh

bench-statements: ## what one market order costs PostgreSQL, statement by statement (pg_stat_statements)
	@bench/statements.sh

bench-game:     ## games at class scale: 500 players with the leaderboard open, live update and game page SSR latency
	@bench/game_scale.sh

bench-sse:      ## live-push benchmark: 10,000 idle SSE streams, server RSS, push latency
	@bench/sse_push.sh

explain:        ## plans of the hot queries at 10,000 users / 1,000,000 trades → docs/EXPLAIN-plans.md
	@scripts/explain.sh
