//! The `trades` ledger: rows are appended, never updated (a trigger enforces it).

use crate::domain::{Money, Shares, Side, Symbol};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewTrade<'a> {
    pub portfolio_id: Uuid,
    pub symbol: &'a Symbol,
    pub side: Side,
    pub quantity: Shares,
    pub price: Money,
    pub amount: Money,
    pub realized_pnl: Option<Money>,
    pub cash_after: Money,
    pub idempotency_key: Uuid,
    /// The open order this trade fills; `None` for a market order.
    pub order_id: Option<Uuid>,
    /// What a game charged for the fill (zero outside games), already out of `cash_after`.
    pub commission: Money,
    pub executed_at: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(portfolio_id = %trade.portfolio_id))]
/// Writes the ledger row and returns its id, or `None` when the portfolio already has a trade
/// with this idempotency key.
pub async fn insert_once(conn: &mut PgConnection, trade: &NewTrade<'_>) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO trades (portfolio_id, symbol, side, quantity, price, amount, realized_pnl, cash_after,
                             idempotency_key, executed_at, order_id, commission)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT ON CONSTRAINT trades_portfolio_id_idempotency_key_key DO NOTHING
         RETURNING id",
    )
    .bind(trade.portfolio_id)
    .bind(trade.symbol.as_str())
    .bind(trade.side.as_str())
    .bind(trade.quantity.get())
    .bind(trade.price.amount())
    .bind(trade.amount.amount())
    .bind(trade.realized_pnl.map(Money::amount))
    .bind(trade.cash_after.amount())
    .bind(trade.idempotency_key)
    .bind(trade.executed_at)
    .bind(trade.order_id)
    .bind(trade.commission.amount())
    .fetch_optional(conn)
    .await
}

/// A ledger row as the interface shows it.
#[derive(sqlx::FromRow)]
pub struct TradeRow {
    pub id: Uuid,
    pub symbol: String,
    pub side: String,
    pub quantity: i64,
    pub price: rust_decimal::Decimal,
    pub amount: rust_decimal::Decimal,
    pub realized_pnl: Option<rust_decimal::Decimal>,
    pub cash_after: rust_decimal::Decimal,
    pub executed_at: DateTime<Utc>,
    /// Why an open order filled when it did (the ledger's listing only).
    #[sqlx(default)]
    pub why: Option<String>,
    /// A game's commission on the fill (the ledger's listing only).
    #[sqlx(default)]
    pub commission: Option<rust_decimal::Decimal>,
}

impl TradeRow {
    /// The side; the table's CHECK allows only 'buy' and 'sell'.
    pub fn side(&self) -> Side {
        Side::parse(&self.side).unwrap_or(Side::Buy)
    }
}

/// The trade `key` made in the portfolio, if any.
pub async fn by_idempotency_key(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    key: Uuid,
) -> Result<Option<TradeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, symbol, side, quantity, price, amount, realized_pnl, cash_after, executed_at
         FROM trades WHERE portfolio_id = $1 AND idempotency_key = $2",
    )
    .bind(portfolio_id)
    .bind(key)
    .fetch_optional(conn)
    .await
}

/// One symbol's net trading over a period.
#[derive(sqlx::FromRow)]
pub struct NetTrading {
    #[sqlx(try_from = "String")]
    pub symbol: Symbol,
    /// Shares bought minus shares sold.
    pub shares: i64,
    /// Cash spent on buys minus cash received from sells.
    pub spent: rust_decimal::Decimal,
}

/// Net trading per symbol since `since`.
pub async fn net_since(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<NetTrading>, sqlx::Error> {
    sqlx::query_as(
        "SELECT symbol,
                SUM(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::BIGINT AS shares,
                SUM(CASE side WHEN 'buy' THEN amount ELSE -amount END) AS spent
         FROM trades WHERE portfolio_id = $1 AND executed_at > $2
         GROUP BY symbol",
    )
    .bind(portfolio_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

/// Which ledger rows to show.
pub struct LedgerFilter<'a> {
    pub symbol: Option<&'a Symbol>,
    pub side: Option<Side>,
}

/// How many ledger rows match `filter`.
pub async fn count(conn: &mut PgConnection, portfolio_id: Uuid, filter: &LedgerFilter<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM trades
         WHERE portfolio_id = $1 AND ($2::text IS NULL OR symbol = $2) AND ($3::text IS NULL OR side = $3)",
    )
    .bind(portfolio_id)
    .bind(filter.symbol.map(Symbol::as_str))
    .bind(filter.side.map(Side::as_str))
    .fetch_one(conn)
    .await
}

/// Ledger rows matching `filter`, newest first; all of them when `limit` is `None`.
pub async fn list(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    filter: &LedgerFilter<'_>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<TradeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.symbol, t.side, t.quantity, t.price, t.amount, t.realized_pnl, t.cash_after, t.executed_at,
                o.state_reason AS why, t.commission
         FROM trades t LEFT JOIN orders o ON o.id = t.order_id
         WHERE t.portfolio_id = $1 AND ($2::text IS NULL OR t.symbol = $2) AND ($3::text IS NULL OR t.side = $3)
         ORDER BY t.executed_at DESC, t.id DESC LIMIT $4 OFFSET $5",
    )
    .bind(portfolio_id)
    .bind(filter.symbol.map(Symbol::as_str))
    .bind(filter.side.map(Side::as_str))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}
