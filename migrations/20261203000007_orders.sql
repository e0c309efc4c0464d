-- Orders that wait for a price (limit, stop, stop-limit, trailing stop): every one placed, with
-- its state (open, filled, cancelled, expired, rejected), who placed it, what it holds back, and
-- the trade it became. The rules are src/domain/open_order; docs/ORDERS.md, "Orders that wait".
CREATE TABLE orders (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id    UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    -- Who placed it (a teacher may act for a player later); kept when they leave.
    placed_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    symbol          TEXT NOT NULL CHECK (symbol ~ '^[A-Z0-9][A-Z0-9.-]{0,9}$'),
    side            TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity        BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    kind            TEXT NOT NULL CHECK (kind IN ('limit', 'stop', 'stop_limit', 'trailing_stop')),
    limit_price     NUMERIC(20, 2) CHECK (limit_price > 0),
    stop_price      NUMERIC(20, 2) CHECK (stop_price > 0),
    trail_amount    NUMERIC(20, 2) CHECK (trail_amount > 0),
    trail_percent   INTEGER CHECK (trail_percent BETWEEN 1 AND 50),
    -- What the order remembers between prices: a trailing stop's water mark, a stop-limit's trigger.
    water_mark      NUMERIC(20, 2) CHECK (water_mark > 0),
    triggered       BOOLEAN NOT NULL DEFAULT false,
    time_in_force   TEXT NOT NULL CHECK (time_in_force IN ('day', 'gtc')),
    -- The cash an open buy holds back (its worst case); an open sell holds back its quantity.
    reserved_cash   NUMERIC(20, 2) NOT NULL DEFAULT 0 CHECK (reserved_cash >= 0),
    state           TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'filled', 'cancelled', 'expired', 'rejected')),
    -- Why it was rejected or expired, or why it filled when it did, in the learner's words.
    state_reason    TEXT,
    trade_id        UUID UNIQUE REFERENCES trades (id),
    idempotency_key UUID NOT NULL,
    placed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    CONSTRAINT orders_portfolio_id_idempotency_key_key UNIQUE (portfolio_id, idempotency_key),
    CONSTRAINT orders_filled_have_their_trade CHECK ((state = 'filled') = (trade_id IS NOT NULL)),
    CONSTRAINT orders_open_until_closed CHECK ((state = 'open') = (closed_at IS NULL)),
    CONSTRAINT orders_prices_fit_the_kind CHECK (
        CASE kind
            WHEN 'limit' THEN limit_price IS NOT NULL AND stop_price IS NULL
            WHEN 'stop' THEN stop_price IS NOT NULL AND limit_price IS NULL
            WHEN 'stop_limit' THEN stop_price IS NOT NULL AND limit_price IS NOT NULL
            ELSE (trail_amount IS NULL) <> (trail_percent IS NULL) AND water_mark IS NOT NULL
        END
    )
);

-- The matcher's question on every tick: which open orders are there, for which symbols.
CREATE INDEX orders_open_by_symbol ON orders (symbol) WHERE state = 'open';
-- A portfolio's reservations, and its order list newest first.
CREATE INDEX orders_by_portfolio ON orders (portfolio_id, placed_at DESC);
-- Deleting a user clears placed_by on the orders they placed.
CREATE INDEX orders_placed_by ON orders (placed_by) WHERE placed_by IS NOT NULL;

-- A trade that an order became names it; a market order's names none (most trades: the index
-- holds only the others).
ALTER TABLE trades ADD COLUMN order_id UUID REFERENCES orders (id);
CREATE INDEX trades_order_id ON trades (order_id) WHERE order_id IS NOT NULL;
