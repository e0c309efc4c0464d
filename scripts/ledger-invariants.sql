-- The money invariants of the trade ledger. Every row this query returns is a violation; none
-- means they all hold. Run by scripts/faults.sh after the server was killed mid-trade, and by the
-- integration tests (tests/integration/failures.rs).
--
--   1. No trade without its cash movement, no cash movement without its trade: each portfolio's
--      cash_balance is its starting_cash minus its buys plus its sells.
--   2. Each holding's shares are the net shares its portfolio bought of that symbol, and there is
--      no holding without them.
--   3. The cash_after chain is whole: the balance each trade started from is the starting cash or
--      the cash_after of another trade, and the last cash_after is the balance now. Checked as
--      equal multisets, so it holds whatever order the trades committed in.
--   4. Each trade's amount is its price times its quantity, in cents.
WITH ledger AS (
    SELECT portfolio_id, symbol, side, quantity, price, amount, cash_after,
           CASE WHEN side = 'buy' THEN -amount ELSE amount END AS cash_change,
           CASE WHEN side = 'buy' THEN quantity ELSE -quantity END AS share_change
    FROM trades
),
replayed_cash AS (
    SELECT p.id AS portfolio_id, p.cash_balance, p.starting_cash + COALESCE(sum(l.cash_change), 0) AS cash
    FROM portfolios p LEFT JOIN ledger l ON l.portfolio_id = p.id
    GROUP BY p.id
),
net_shares AS (
    SELECT portfolio_id, symbol, sum(share_change) AS shares FROM ledger GROUP BY portfolio_id, symbol
),
-- Balances that start a link of the chain, and balances that end one.
chain_starts AS (
    SELECT portfolio_id, cash_after - cash_change AS balance FROM ledger
    UNION ALL
    SELECT id, cash_balance FROM portfolios
),
chain_ends AS (
    SELECT portfolio_id, cash_after AS balance FROM ledger
    UNION ALL
    SELECT id, starting_cash FROM portfolios
),
broken_links AS (
    (SELECT * FROM chain_starts EXCEPT ALL SELECT * FROM chain_ends)
    UNION ALL
    (SELECT * FROM chain_ends EXCEPT ALL SELECT * FROM chain_starts)
)
SELECT 'cash_balance is not starting_cash - buys + sells' AS violation, portfolio_id::text AS portfolio,
       format('stored %s, the ledger says %s', cash_balance, cash) AS detail
FROM replayed_cash WHERE cash_balance <> cash
UNION ALL
SELECT 'holding is not the net shares of the ledger', COALESCE(n.portfolio_id, h.portfolio_id)::text,
       format('%s: %s held, the ledger says %s', COALESCE(n.symbol, h.symbol), COALESCE(h.shares, 0), COALESCE(n.shares, 0))
FROM net_shares n FULL JOIN holdings h ON h.portfolio_id = n.portfolio_id AND h.symbol = n.symbol
WHERE COALESCE(n.shares, 0) <> COALESCE(h.shares, 0)
UNION ALL
SELECT 'cash_after chain is broken', portfolio_id::text, format('balance %s is not linked', balance)
FROM broken_links
UNION ALL
SELECT 'amount is not price x quantity', portfolio_id::text, format('%s %s %s at %s = %s', side, quantity, symbol, price, amount)
FROM ledger WHERE amount <> round(price * quantity, 2);
