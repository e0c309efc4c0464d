-- Links sent by mail: verify an address (24 h) and reset a password (30 min). Only the SHA-256 of
-- a token is stored, so a copy of the database opens no account; a token is used at most once
-- (used_at), and a newer link of the same purpose retires the older ones.
CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    -- The address the link went to: a link proves that address, not whatever the account has now.
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose) WHERE used_at IS NULL;
