-- The coach, the watchlist with price alerts, and the per-user event log behind live updates.

-- When each piece of coach advice last fired for a user ("concentration:AAPL", "milestone:+10").
-- Claimed with one conditional upsert, so several instances never send the same advice twice.
CREATE TABLE coach_marks (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    advice_key    TEXT NOT NULL CHECK (length(advice_key) BETWEEN 1 AND 60),
    last_fired_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, advice_key)
);

CREATE TABLE watchlist_items (
    user_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    symbol   TEXT NOT NULL CHECK (symbol ~ '^[A-Z0-9][A-Z0-9.-]{0,9}$'),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, symbol)
);

-- "Tell me when AAPL rises above $200": fires once, when a background task sees the price cross.
CREATE TABLE price_alerts (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    symbol          TEXT NOT NULL CHECK (symbol ~ '^[A-Z0-9][A-Z0-9.-]{0,9}$'),
    direction       TEXT NOT NULL CHECK (direction IN ('above', 'below')),
    threshold       NUMERIC(20, 2) NOT NULL CHECK (threshold > 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    triggered_at    TIMESTAMPTZ,
    triggered_price NUMERIC(20, 4),
    CONSTRAINT price_alerts_triggered_together CHECK ((triggered_at IS NULL) = (triggered_price IS NULL))
);
CREATE INDEX price_alerts_user_id_idx ON price_alerts (user_id, created_at);
-- The evaluator reads only the alerts still waiting.
CREATE INDEX price_alerts_pending_symbol_idx ON price_alerts (symbol) WHERE triggered_at IS NULL;

-- Everything pushed to a user's open pages that must not be missed (notifications, executed
-- trades, watchlist changes), in order. The id is the Server-Sent Events id: a reconnecting page sends the last one
-- it saw (Last-Event-ID) and receives what came after. Kept for a week.
CREATE TABLE user_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('notification', 'trade', 'watchlist')),
    payload    JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_events_user_id_id_idx ON user_events (user_id, id);
CREATE INDEX user_events_created_at_idx ON user_events (created_at);

-- Every instance LISTENs on 'user_events'; the notification is delivered when the inserting
-- transaction commits (and never if it rolls back). NOTIFY payloads are limited to 8000 bytes:
-- a bigger event goes out without its payload and listeners read it from the table.
CREATE FUNCTION notify_user_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    message TEXT := json_build_object('id', NEW.id, 'user_id', NEW.user_id, 'kind', NEW.kind, 'payload', NEW.payload)::text;
BEGIN
    IF octet_length(message) > 7900 THEN
        message := json_build_object('id', NEW.id, 'user_id', NEW.user_id, 'kind', NEW.kind)::text;
    END IF;
    PERFORM pg_notify('user_events', message);
    RETURN NULL;
END;
$$;
CREATE TRIGGER user_events_notify AFTER INSERT ON user_events FOR EACH ROW EXECUTE FUNCTION notify_user_event();

-- Accounts that existed before the coach: their welcome is long past, and a first trade already
-- placed is not news.
INSERT INTO coach_marks (user_id, advice_key, last_fired_at)
SELECT id, 'welcome', created_at FROM users;
INSERT INTO coach_marks (user_id, advice_key, last_fired_at)
SELECT p.user_id, 'first_trade', min(t.executed_at)
FROM trades t JOIN portfolios p ON p.id = t.portfolio_id
GROUP BY p.user_id;
