-- The large data set behind scripts/explain.sh: 10,000 users, 1,000,000 trades and the rest at
-- the sizes in docs/EXPLAIN.md. Pure SQL, deterministic (setseed), run on a fresh database that
-- has every migration applied. Activity is skewed like a real service: a user's share of the
-- trades, notifications and events goes with random()^2 over the user number, so user 1 is the
-- heaviest (~10,000 trades), the median user has ~70 and the quietest a handful.

\set ON_ERROR_STOP on
SELECT setseed(0.42);

-- The symbols the seed trades, watches and alerts on.
CREATE TEMP TABLE sym AS
SELECT row_number() OVER () - 1 AS i, s AS symbol
FROM unnest(ARRAY['AAPL','MSFT','GOOGL','AMZN','NVDA','META','TSLA','BRK.B','JPM','V',
                  'JNJ','WMT','PG','MA','HD','XOM','CVX','KO','PEP','DIS',
                  'NFLX','ADBE','CRM','INTC','AMD','CSCO','ORCL','IBM','QCOM','TXN',
                  'NKE','MCD','SBUX','BA','CAT','GE','GS','MS','T','VZ']) AS s;
CREATE TEMP TABLE nsym AS SELECT count(*)::int AS n FROM sym;

-- Triggers that would slow the seed down: the NOTIFY on every user_events insert. (The trades
-- trigger fires on UPDATE only, and the seed never updates.)
ALTER TABLE user_events DISABLE TRIGGER USER;

-- Users 1..10,000: 90% local accounts, 10% guests. Created over the last two years.
CREATE TEMP TABLE u AS
SELECT n, gen_random_uuid() AS id, now() - (random() * interval '730 days') AS created_at
FROM generate_series(1, 10000) AS n;
INSERT INTO users (id, email, email_verified, password_hash, username, provider, is_active, last_login_at, created_at)
SELECT id,
       CASE WHEN n % 10 = 0 THEN NULL ELSE 'user' || n || '@example.com' END,
       n % 10 <> 0,
       CASE WHEN n % 10 = 0 THEN NULL ELSE '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWRzZWVk$' || md5(n::text) END,
       'user' || lpad(n::text, 5, '0'),
       CASE WHEN n % 10 = 0 THEN 'guest' ELSE 'local' END,
       true, now() - random() * interval '30 days', created_at
FROM u;
INSERT INTO coach_marks (user_id, advice_key, last_fired_at) SELECT id, 'welcome', created_at FROM u;

-- One active portfolio each; every 10th user also reset once, so 1,000 archived portfolios.
CREATE TEMP TABLE p AS
SELECT u.n, u.id AS user_id, gen_random_uuid() AS id, u.created_at + interval '1 day' AS created_at FROM u;
CREATE UNIQUE INDEX ON p (n);
INSERT INTO portfolios (id, user_id, cash_balance, starting_cash, archived_at, created_at)
SELECT gen_random_uuid(), user_id, 500.00, 10000.00, created_at, created_at - interval '1 hour'
FROM p WHERE n % 10 = 3;
INSERT INTO portfolios (id, user_id, cash_balance, starting_cash, created_at)
SELECT id, user_id, round((1000 + random() * 9000)::numeric, 2), 10000.00, created_at FROM p;

-- About three holdings per active portfolio (1 to 5), distinct symbols.
INSERT INTO holdings (portfolio_id, symbol, shares, average_price)
SELECT p.id, sym.symbol, 1 + (random() * 50)::int, round((20 + random() * 480)::numeric, 8)
FROM p
CROSS JOIN LATERAL generate_series(0, (p.n % 5)) AS k
JOIN sym ON sym.i = (p.n * 7 + k * 11) % 40;

-- 1,000,000 trades. Portfolio: user floor(10,000 * random()^2) + 1. Over the last year.
\timing on
INSERT INTO trades (portfolio_id, symbol, side, quantity, price, amount, realized_pnl, cash_after, idempotency_key, executed_at)
SELECT p.id, sym.symbol, t.side, t.qty, t.price, round(t.qty * t.price, 2),
       CASE WHEN t.side = 'sell' THEN round(((random() - 0.45) * t.qty * t.price * 0.2)::numeric, 2) END,
       round((random() * 10000)::numeric, 2), gen_random_uuid(), t.executed_at
FROM (SELECT (floor(10000 * random() ^ 2) + 1)::int AS n,
             floor(random() * 40)::int AS si,
             CASE WHEN random() < 0.6 THEN 'buy' ELSE 'sell' END AS side,
             (1 + random() * 40)::bigint AS qty,
             round((20 + random() * 480)::numeric, 4) AS price,
             now() - random() * interval '365 days' AS executed_at
      FROM generate_series(1, 1000000)) AS t
JOIN p ON p.n = t.n
JOIN sym ON sym.i = t.si;
\timing off

-- Snapshots: 'open' per portfolio, one 'trade' snapshot per trade (what place_order writes), and
-- a 'close' for each of the last 60 days per active portfolio.
INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at)
SELECT id, 'open', 10000.00, 10000.00, created_at FROM p;
INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at)
SELECT portfolio_id, 'trade', cash_after, cash_after + amount, executed_at FROM trades;
INSERT INTO portfolio_snapshots (portfolio_id, kind, trading_day, cash, total_value, taken_at)
SELECT p.id, 'close', d::date, 5000.00, round((8000 + random() * 4000)::numeric, 2), d + interval '21 hours'
FROM p CROSS JOIN generate_series(current_date - 60, current_date - 1, interval '1 day') AS d;

-- 200,000 notifications over the last 90 days: 90% read, 3% of those dismissed too.
INSERT INTO notifications (user_id, title, message, trigger_type, link, is_read, read_at, is_dismissed, dismissed_at, created_at)
SELECT p.user_id, 'Seeded notification', 'A notification seeded by scripts/explain.sh.',
       (ARRAY['trade_executed','price_alert','coach_concentration','coach_milestone','welcome'])[1 + floor(random() * 5)::int],
       '/portfolio', x.is_read, CASE WHEN x.is_read THEN x.created_at + interval '1 hour' END,
       x.dismissed, CASE WHEN x.dismissed THEN x.created_at + interval '2 hours' END, x.created_at
FROM (SELECT (floor(10000 * random() ^ 2) + 1)::int AS n, r < 0.9 AS is_read, r < 0.027 AS dismissed,
             now() - random() * interval '90 days' AS created_at
      FROM (SELECT random() AS r FROM generate_series(1, 200000)) AS g) AS x
JOIN p ON p.n = x.n;

-- Watchlists: 0 to 9 symbols per user (~45,000 rows).
INSERT INTO watchlist_items (user_id, symbol, added_at)
SELECT u.id, sym.symbol, u.created_at + k * interval '1 day'
FROM u CROSS JOIN LATERAL generate_series(1, u.n % 10) AS k
JOIN sym ON sym.i = (u.n * 3 + k * 7) % 40;

-- Price alerts: 0 to 6 per user (~30,000), 90% already triggered.
INSERT INTO price_alerts (user_id, symbol, direction, threshold, created_at, triggered_at, triggered_price)
SELECT u.id, sym.symbol, CASE WHEN k % 2 = 0 THEN 'above' ELSE 'below' END,
       round((20 + random() * 480)::numeric, 2), x.created_at,
       CASE WHEN x.r < 0.9 THEN x.created_at + interval '3 days' END,
       CASE WHEN x.r < 0.9 THEN round((20 + random() * 480)::numeric, 4) END
FROM u CROSS JOIN LATERAL generate_series(1, u.n % 7) AS k
CROSS JOIN LATERAL (SELECT random() AS r, now() - random() * interval '120 days' AS created_at, k AS kk) AS x
JOIN sym ON sym.i = (u.n + k * 13) % 40;

-- 500,000 user events over the last week (the retention window).
INSERT INTO user_events (user_id, kind, payload, created_at)
SELECT p.user_id, (ARRAY['notification','trade','watchlist'])[1 + floor(random() * 3)::int],
       jsonb_build_object('seeded', true, 'symbol', 'AAPL', 'quantity', 3), x.created_at
FROM (SELECT (floor(10000 * random() ^ 2) + 1)::int AS n, now() - random() * interval '7 days' AS created_at
      FROM generate_series(1, 500000) ORDER BY 2) AS x
JOIN p ON p.n = x.n;
ALTER TABLE user_events ENABLE TRIGGER USER;

-- 10,000 sessions, 20-byte ids like tower-sessions' base64 ids, 90% still valid.
INSERT INTO tower_sessions.session (id, data, expiry_date)
SELECT substr(encode(sha256(('session' || g)::bytea), 'base64'), 1, 22), decode(md5(g::text), 'hex'),
       now() + (random() * 14 - 1.4) * interval '1 day'
FROM generate_series(1, 10000) AS g;
