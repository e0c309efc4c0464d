-- no-transaction
-- The dashboard's value chart reads every snapshot of a portfolio in (taken_at, id) order
-- (src/server/repo/snapshots.rs: history). With one snapshot per trade plus one per trading day,
-- an active portfolio has thousands, scattered over the heap among everyone else's: at 10,000
-- users and 1,000,000 trades the heaviest user's chart took ~23 ms (bitmap heap scan of ~6,500
-- pages, then a sort). This index holds the whole answer in order, so the chart is one index-only
-- scan (~1 ms). It replaces the (portfolio_id, taken_at) index, whose other users (the foreign key
-- cascade from portfolios) are served by the same leading column. See docs/EXPLAIN.md.
-- Built CONCURRENTLY (outside a transaction, hence one statement per file) so orders keep writing
-- snapshots while it builds; the old index goes in the next migration.
CREATE INDEX CONCURRENTLY IF NOT EXISTS portfolio_snapshots_history_idx
    ON portfolio_snapshots (portfolio_id, taken_at, id) INCLUDE (total_value);
