-- Orders a game's rules refused, with the message the player saw: the teacher's view shows each
-- player's, so a teacher sees who keeps running into which rule.
CREATE TABLE game_refusals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    game_id      UUID NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    portfolio_id UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    message      TEXT NOT NULL,
    refused_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX game_refusals_portfolio_idx ON game_refusals (portfolio_id, refused_at DESC);
CREATE INDEX game_refusals_game_idx ON game_refusals (game_id);
