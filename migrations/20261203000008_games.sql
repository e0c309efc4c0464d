-- Games: a contest that an organiser runs between players, each trading a portfolio of the
-- game's cash (portfolios.kind = 'game') between a start and an end, under rules fixed at the
-- start. The rules are src/domain/game; docs/GAMES.md.
CREATE TABLE games (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    description          TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    created_by           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at            TIMESTAMPTZ NOT NULL,
    ends_at              TIMESTAMPTZ NOT NULL,
    starting_cash        NUMERIC(20, 2) NOT NULL CHECK (starting_cash > 0),
    commission_kind      TEXT NOT NULL DEFAULT 'none'
                         CHECK (commission_kind IN ('none', 'per_trade', 'per_share', 'percent')),
    -- Dollars a trade, dollars a share (to a tenth of a cent and finer), or percent of the amount.
    commission_value     NUMERIC(12, 6) NOT NULL DEFAULT 0 CHECK (commission_value >= 0),
    max_position_percent INTEGER CHECK (max_position_percent BETWEEN 1 AND 100),
    min_share_price      NUMERIC(20, 2) CHECK (min_share_price > 0),
    quick_sell_minutes   INTEGER CHECK (quick_sell_minutes BETWEEN 1 AND 10080),
    -- The kinds of orders that wait which the game allows (market orders always are).
    allowed_kinds        TEXT[] NOT NULL DEFAULT '{}'
                         CHECK (allowed_kinds <@ ARRAY['limit', 'stop', 'stop_limit', 'trailing_stop']),
    late_joining         BOOLEAN NOT NULL DEFAULT true,
    holdings_visible     BOOLEAN NOT NULL DEFAULT false,
    is_public            BOOLEAN NOT NULL DEFAULT false,
    join_code            TEXT NOT NULL UNIQUE CHECK (join_code ~ '^[2-9A-HJKMNP-Z]{6}$'),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT games_end_after_start CHECK (ends_at > starts_at)
);

CREATE INDEX games_created_by ON games (created_by);
CREATE INDEX games_public_by_start ON games (starts_at) WHERE is_public;

-- Who plays: one game portfolio per player and game.
CREATE TABLE game_players (
    game_id      UUID NOT NULL REFERENCES games (id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    portfolio_id UUID NOT NULL UNIQUE REFERENCES portfolios (id) ON DELETE CASCADE,
    joined_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (game_id, user_id)
);

CREATE INDEX game_players_user_id ON game_players (user_id);

-- What a fill paid in a game's commission (zero outside games): out of the cash, beside the amount.
ALTER TABLE trades ADD COLUMN commission NUMERIC(20, 2) NOT NULL DEFAULT 0 CHECK (commission >= 0);
