-- A game's final standings, written once when it ends (every instance may try; one wins): after
-- the end the ranking no longer moves with prices, and the page shows these rows.
ALTER TABLE games ADD COLUMN final_at TIMESTAMPTZ;

CREATE TABLE game_results (
    game_id      UUID NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    place        INTEGER NOT NULL CHECK (place >= 1),
    username     TEXT NOT NULL,
    value        NUMERIC(20, 2) NOT NULL,
    total_return NUMERIC(12, 2) NOT NULL,
    trades       BIGINT NOT NULL,
    joined_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (game_id, user_id)
);
CREATE INDEX game_results_user_id_idx ON game_results (user_id);
-- The freezing job's scan: ended games not yet frozen.
CREATE INDEX games_to_freeze_idx ON games (ends_at) WHERE final_at IS NULL;
