-- The built-in market's secret: every simulated price is a function of (this seed, symbol, time),
-- so all instances on this database show the same prices, and nobody without the seed can
-- compute tomorrow's. One row, written by the first server that starts (src/server/market/secret.rs).
CREATE TABLE market_secret (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seed bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
