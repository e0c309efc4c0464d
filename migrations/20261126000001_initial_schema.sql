-- Papertrade's first schema: the roadmap's tables plus the trade ledger.
-- Money: cash and amounts NUMERIC(20,2) (whole cents); trade prices NUMERIC(20,4);
-- average cost NUMERIC(20,8) so repeated buys do not drift (see docs/SCHEMA.md).

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE users (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email          TEXT CHECK (email IS NULL OR (email = lower(email) AND length(email) <= 254)),
    email_verified BOOLEAN NOT NULL DEFAULT false,
    password_hash  TEXT,
    username       TEXT NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$'),
    provider       TEXT NOT NULL DEFAULT 'local' CHECK (provider IN ('local', 'google', 'github', 'guest')),
    provider_id    TEXT,
    avatar_url     TEXT,
    is_active      BOOLEAN NOT NULL DEFAULT true,
    last_login_at  TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_provider_provider_id_key UNIQUE (provider, provider_id),
    -- A local account signs in with email + password; an OAuth account is keyed by the provider's id.
    CONSTRAINT users_local_has_credentials CHECK (provider <> 'local' OR (email IS NOT NULL AND password_hash IS NOT NULL)),
    CONSTRAINT users_oauth_has_provider_id CHECK (provider NOT IN ('google', 'github') OR provider_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_local_email_key ON users (email) WHERE provider = 'local';
CREATE INDEX users_email_idx ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_guest_created_idx ON users (created_at) WHERE provider = 'guest';
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A user has one active portfolio; "reset portfolio" archives it and opens a new one, so the old
-- ledger stays intact but out of the new view.
CREATE TABLE portfolios (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT 'My portfolio' CHECK (length(name) BETWEEN 1 AND 100),
    cash_balance  NUMERIC(20, 2) NOT NULL DEFAULT 10000.00,
    starting_cash NUMERIC(20, 2) NOT NULL DEFAULT 10000.00,
    archived_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT portfolios_cash_balance_non_negative CHECK (cash_balance >= 0),
    CONSTRAINT portfolios_starting_cash_positive CHECK (starting_cash > 0)
);
CREATE INDEX portfolios_user_id_idx ON portfolios (user_id);
CREATE UNIQUE INDEX portfolios_one_active_per_user ON portfolios (user_id) WHERE archived_at IS NULL;
CREATE TRIGGER portfolios_updated_at BEFORE UPDATE ON portfolios FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE holdings (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id  UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    symbol        TEXT NOT NULL CHECK (symbol ~ '^[A-Z0-9][A-Z0-9.-]{0,9}$'),
    shares        BIGINT NOT NULL,
    average_price NUMERIC(20, 8) NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The unique index also serves every lookup by portfolio_id.
    CONSTRAINT holdings_portfolio_id_symbol_key UNIQUE (portfolio_id, symbol),
    CONSTRAINT holdings_shares_positive CHECK (shares > 0),
    CONSTRAINT holdings_average_price_positive CHECK (average_price > 0)
);
CREATE INDEX holdings_symbol_idx ON holdings (symbol);
CREATE TRIGGER holdings_updated_at BEFORE UPDATE ON holdings FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The append-only ledger: one row per execution, never updated.
CREATE TABLE trades (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id    UUID NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    symbol          TEXT NOT NULL CHECK (symbol ~ '^[A-Z0-9][A-Z0-9.-]{0,9}$'),
    side            TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    price           NUMERIC(20, 4) NOT NULL CHECK (price > 0),
    amount          NUMERIC(20, 2) NOT NULL CHECK (amount > 0),
    realized_pnl    NUMERIC(20, 2),
    cash_after      NUMERIC(20, 2) NOT NULL CHECK (cash_after >= 0),
    idempotency_key UUID NOT NULL,
    executed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT trades_portfolio_id_idempotency_key_key UNIQUE (portfolio_id, idempotency_key),
    CONSTRAINT trades_realized_pnl_only_on_sells CHECK ((side = 'sell') = (realized_pnl IS NOT NULL))
);
CREATE INDEX trades_portfolio_id_executed_at_idx ON trades (portfolio_id, executed_at DESC);
CREATE INDEX trades_executed_at_idx ON trades (executed_at);

CREATE FUNCTION trades_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the trades ledger is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER trades_append_only BEFORE UPDATE ON trades FOR EACH ROW EXECUTE FUNCTION trades_are_append_only();

CREATE TABLE notifications (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    message      TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
    trigger_type TEXT NOT NULL CHECK (trigger_type ~ '^[a-z_]{1,40}$'),
    link         TEXT CHECK (link IS NULL OR link LIKE '/%'),
    is_read      BOOLEAN NOT NULL DEFAULT false,
    is_dismissed BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at      TIMESTAMPTZ,
    dismissed_at TIMESTAMPTZ,
    CONSTRAINT notifications_read_at_when_read CHECK (is_read = (read_at IS NOT NULL)),
    CONSTRAINT notifications_dismissed_at_when_dismissed CHECK (is_dismissed = (dismissed_at IS NOT NULL))
);
CREATE INDEX notifications_user_id_created_at_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_user_id_unread_idx ON notifications (user_id) WHERE NOT is_read AND NOT is_dismissed;
CREATE INDEX notifications_user_id_trigger_type_idx ON notifications (user_id, trigger_type, created_at DESC);

-- OAuth provider tokens. Never sent to the browser, never logged.
CREATE TABLE user_sessions (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider      TEXT NOT NULL CHECK (provider IN ('google', 'github')),
    access_token  TEXT NOT NULL,
    refresh_token TEXT,
    expires_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_sessions_user_id_idx ON user_sessions (user_id);
CREATE INDEX user_sessions_expires_at_idx ON user_sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE TRIGGER user_sessions_updated_at BEFORE UPDATE ON user_sessions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
