-- A portfolio's version: every change to what an order depends on (cash, holdings, what open
-- orders hold back, the portfolio being archived) happens under the portfolio's row lock, and
-- taking that lock adds one to the version. A market order reads the portfolio without locks and
-- writes its fill in one statement that applies only if the version is still the one it read
-- (src/server/trading). Adding a column with a constant default rewrites no rows.
ALTER TABLE portfolios ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
