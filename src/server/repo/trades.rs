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
    pub executed_at: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(portfolio_id = %trade.portfolio_id))]
pub async fn insert(conn: &mut PgConnection, trade: &NewTrade<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO trades (portfolio_id, symbol, side, quantity, price, amount, realized_pnl, cash_after,
                             idempotency_key, executed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
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
    .fetch_one(conn)
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
}

/// The execution an idempotency key already produced in this portfolio, if any.
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
