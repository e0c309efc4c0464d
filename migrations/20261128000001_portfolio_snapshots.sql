-- What a portfolio was worth over time, recorded as it happened: when it opens, after every
-- trade, and once per trading day at the close. The value chart reads these rows, so it shows
-- what really happened rather than today's holdings priced in the past.

CREATE TABLE portfolio_snapshots (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    portfolio_id UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('open', 'trade', 'close')),
    -- The trading day a 'close' snapshot closes (New York date for NYSE hours, UTC date otherwise).
    trading_day  DATE,
    cash         NUMERIC(20, 2) NOT NULL CHECK (cash >= 0),
    total_value  NUMERIC(20, 2) NOT NULL CHECK (total_value >= 0),
    taken_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT portfolio_snapshots_trading_day_on_close CHECK ((kind = 'close') = (trading_day IS NOT NULL))
);
CREATE INDEX portfolio_snapshots_portfolio_id_taken_at_idx ON portfolio_snapshots (portfolio_id, taken_at);
-- Several instances may run the daily job; the first one to write a day's close wins.
CREATE UNIQUE INDEX portfolio_snapshots_one_close_per_day
    ON portfolio_snapshots (portfolio_id, trading_day) WHERE kind = 'close';

-- Existing portfolios start their history where they opened.
INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at)
SELECT id, 'open', starting_cash, starting_cash, created_at FROM portfolios;
