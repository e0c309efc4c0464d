-- A portfolio, not a user, is what trades: a user keeps one active personal portfolio (reset
-- archives it and opens the next) and may hold others — one per game joined. `kind` says which.
-- A constant default adds the column without rewriting the table.
ALTER TABLE portfolios
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'personal'
    CONSTRAINT portfolios_kind_known CHECK (kind IN ('personal', 'game'));
