-- A user's live stream learns of the games they join or create (kind 'games'), so it follows
-- each game's standings from then on (game changes themselves are NOTIFYs on 'game_changes',
-- not stored: a page that reconnects reloads the leaderboard anyway).
ALTER TABLE user_events DROP CONSTRAINT user_events_kind_check;
ALTER TABLE user_events ADD CONSTRAINT user_events_kind_check CHECK (kind IN ('notification', 'trade', 'watchlist', 'games'));
