-- no-transaction
-- Superseded by portfolios_one_active_personal_per_user (previous migration): a user may now hold
-- several active portfolios, one of them personal. Dropped CONCURRENTLY so orders are not blocked.
DROP INDEX CONCURRENTLY IF EXISTS portfolios_one_active_per_user;
