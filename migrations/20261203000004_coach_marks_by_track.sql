-- Advice about money is advice about one portfolio. A game's portfolio is coached on its own
-- track; a learner's personal portfolios (each reset opens the next) share one, so what was
-- taught is not taught again after a reset. `portfolio_id` names the game portfolio of a mark;
-- NULL is the personal track. NULLS NOT DISTINCT keeps one mark per track and advice.
ALTER TABLE coach_marks ADD COLUMN portfolio_id UUID REFERENCES portfolios (id) ON DELETE CASCADE;
ALTER TABLE coach_marks DROP CONSTRAINT coach_marks_pkey;
ALTER TABLE coach_marks
    ADD CONSTRAINT coach_marks_track_advice_key UNIQUE NULLS NOT DISTINCT (user_id, portfolio_id, advice_key);
-- Deleting a game portfolio finds its marks (the foreign key's cascade); most marks are personal.
CREATE INDEX coach_marks_portfolio_id_idx ON coach_marks (portfolio_id) WHERE portfolio_id IS NOT NULL;
