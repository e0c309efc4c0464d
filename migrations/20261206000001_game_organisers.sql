-- Co-organisers: people a game's creator adds to run it with them (another teacher, an assistant).
-- They see and do what the creator does in the teacher's view; only the creator adds and removes them.
CREATE TABLE game_organisers (
    game_id  UUID NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    user_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, user_id)
);
CREATE INDEX game_organisers_user_id_idx ON game_organisers (user_id);

-- The game portfolio a coach's note is about (NULL: the personal one, or not the coach's), so a
-- game's teacher's view can show each player's notes from that game.
ALTER TABLE notifications ADD COLUMN portfolio_id UUID REFERENCES portfolios (id) ON DELETE CASCADE;
CREATE INDEX notifications_portfolio_id_idx ON notifications (portfolio_id, created_at DESC)
    WHERE portfolio_id IS NOT NULL;
