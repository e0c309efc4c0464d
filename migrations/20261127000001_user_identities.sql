-- Sign-in identities at Google and GitHub. `users.provider` says how an account began; this
-- table lists every provider account that can sign in to it, keyed by (provider, provider_id),
-- so a local or guest account can connect Google or GitHub later.
CREATE TABLE user_identities (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    TEXT NOT NULL CHECK (provider IN ('google', 'github')),
    provider_id TEXT NOT NULL CHECK (length(provider_id) BETWEEN 1 AND 255),
    email       TEXT CHECK (email IS NULL OR length(email) <= 254),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT user_identities_provider_provider_id_key UNIQUE (provider, provider_id),
    -- One Google and one GitHub account per user; this index also serves lookups by user_id.
    CONSTRAINT user_identities_user_id_provider_key UNIQUE (user_id, provider)
);

INSERT INTO user_identities (user_id, provider, provider_id, email)
SELECT id, provider, provider_id, email FROM users WHERE provider IN ('google', 'github');

-- One row of provider tokens per user and provider: a new sign-in replaces the old tokens.
DELETE FROM user_sessions a USING user_sessions b
WHERE a.user_id = b.user_id AND a.provider = b.provider AND a.created_at < b.created_at;
CREATE UNIQUE INDEX user_sessions_user_id_provider_key ON user_sessions (user_id, provider);
