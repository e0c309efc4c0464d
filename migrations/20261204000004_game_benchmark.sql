-- The benchmark a game's leaderboard is read against (SPY from the game's start): its price at
-- the start, found once in the quote history, and at the end, written with the final standings.
ALTER TABLE games ADD COLUMN benchmark_start_price NUMERIC(20, 4);
ALTER TABLE games ADD COLUMN benchmark_end_price NUMERIC(20, 4);
