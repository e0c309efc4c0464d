-- A teacher's cash adjustments to a player's game portfolio, with the reason the player is told:
-- the audit of every dollar that did not come from a trade.
CREATE TABLE game_cash_adjustments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    game_id      UUID NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    portfolio_id UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    amount       NUMERIC(20, 2) NOT NULL CHECK (amount <> 0),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    made_by      UUID REFERENCES users (id) ON DELETE SET NULL,
    made_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX game_cash_adjustments_portfolio_idx ON game_cash_adjustments (portfolio_id, made_at);
CREATE INDEX game_cash_adjustments_game_idx ON game_cash_adjustments (game_id);
CREATE INDEX game_cash_adjustments_made_by_idx ON game_cash_adjustments (made_by);
