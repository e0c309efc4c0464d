-- no-transaction
-- "One active portfolio per user" becomes "one active personal portfolio per user": the unique
-- index that replaces portfolios_one_active_per_user (dropped in the next migration). It also
-- serves every lookup of a user's personal portfolio (src/server/repo/portfolios.rs: owned).
-- Built CONCURRENTLY, so sign-ups and resets go on while it builds.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS portfolios_one_active_personal_per_user
    ON portfolios (user_id) WHERE archived_at IS NULL AND kind = 'personal';
