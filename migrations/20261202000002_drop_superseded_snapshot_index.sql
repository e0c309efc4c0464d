-- no-transaction
-- The (portfolio_id, taken_at) index is superseded by portfolio_snapshots_history_idx (previous
-- migration), which has the same leading columns. Dropped CONCURRENTLY so trades are not blocked.
DROP INDEX CONCURRENTLY IF EXISTS portfolio_snapshots_portfolio_id_taken_at_idx;
