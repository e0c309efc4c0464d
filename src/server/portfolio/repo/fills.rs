//! A fill's writes as one statement (data-modifying CTEs): the cash and the version, the ledger
//! row, the holding, the value snapshot and the live event (whose insert trigger NOTIFYs every
//! instance at commit). Everything hangs on the first part, an `UPDATE` of the portfolio that
//! applies only while its version is the one the order was decided on: when something changed the
//! portfolio since, the statement writes nothing at all, and the order is decided again.

use super::snapshots::SnapshotKind;
use super::trades::NewTrade;
use crate::domain::portfolio::Position;
use crate::domain::Money;
use sqlx::PgConnection;
use uuid::Uuid;

/// The constraint that makes an idempotency key execute once per portfolio.
const ONE_EXECUTION_PER_KEY: &str = "trades_portfolio_id_idempotency_key_key";

/// Everything one fill writes.
pub struct FillWrite<'a> {
    pub trade_id: Uuid,
    pub trade: NewTrade<'a>,
    /// The order's position afterwards; `None` when a sell closed it.
    pub position_after: Option<&'a Position>,
    /// The portfolio's value after the fill, for its history.
    pub total_value: Money,
    /// Whose open pages hear of it, and what they are sent.
    pub user_id: Uuid,
    pub event_kind: &'static str,
    pub event: serde_json::Value,
}

/// What became of a fill's statement.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Done,
    /// The portfolio's version is no longer the one given (or it was archived): nothing written.
    VersionMoved,
    /// The portfolio already has a trade with this idempotency key: nothing written.
    KeyUsed,
}

/// Writes `fill` if the portfolio is still at `version` (and moves it on).
///
/// The parts run in the order they depend on each other: the portfolio's row lock first (the
/// guard), then the ledger row, then the per-user advisory lock that makes one user's events
/// commit in id order (taken per row of the ledger insert, so after the row lock, as in every other
/// transaction that writes events: see `live::events::insert`), and the holding and snapshot.
pub async fn write(conn: &mut PgConnection, fill: &FillWrite<'_>, version: i64) -> Result<Written, sqlx::Error> {
    let trade = &fill.trade;
    let result = sqlx::query_scalar::<_, i64>(
        "WITH guard AS (
             UPDATE portfolios SET cash_balance = $3, version = version + 1
             WHERE id = $1 AND version = $2 AND archived_at IS NULL
             RETURNING id
         ), trade AS (
             INSERT INTO trades (id, portfolio_id, symbol, side, quantity, price, amount, realized_pnl, cash_after,
                                 idempotency_key, executed_at, order_id, commission)
             SELECT $4, guard.id, $5, $6, $7, $8, $9, $10, $3, $11, $12, $13, $14 FROM guard
             RETURNING id
         ), event AS (
             INSERT INTO user_events (user_id, kind, payload)
             SELECT $18, $19, $20
             FROM trade CROSS JOIN LATERAL (
                 SELECT pg_advisory_xact_lock(hashtextextended($18::text, 0)) WHERE trade.id IS NOT NULL
             ) AS locked
         ), kept AS (
             INSERT INTO holdings (portfolio_id, symbol, shares, average_price)
             SELECT guard.id, $5, $15, $16 FROM guard WHERE $15::bigint IS NOT NULL
             ON CONFLICT (portfolio_id, symbol) DO UPDATE
             SET shares = EXCLUDED.shares, average_price = EXCLUDED.average_price
         ), closed AS (
             DELETE FROM holdings h USING guard
             WHERE h.portfolio_id = guard.id AND h.symbol = $5 AND $15::bigint IS NULL
         ), snapshot AS (
             INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at)
             SELECT guard.id, $21, $3, $17, $12 FROM guard
         )
         SELECT count(*) FROM trade",
    )
    .bind(trade.portfolio_id)
    .bind(version)
    .bind(trade.cash_after.amount())
    .bind(fill.trade_id)
    .bind(trade.symbol.as_str())
    .bind(trade.side.as_str())
    .bind(trade.quantity.get())
    .bind(trade.price.amount())
    .bind(trade.amount.amount())
    .bind(trade.realized_pnl.map(Money::amount))
    .bind(trade.idempotency_key)
    .bind(trade.executed_at)
    .bind(trade.order_id)
    .bind(trade.commission.amount())
    .bind(fill.position_after.map(|position| position.shares))
    .bind(fill.position_after.map(|position| position.average_price))
    .bind(fill.total_value.amount())
    .bind(fill.user_id)
    .bind(fill.event_kind)
    .bind(&fill.event)
    .bind(SnapshotKind::Trade.as_str())
    .fetch_one(conn)
    .await;
    match result {
        Ok(0) => Ok(Written::VersionMoved),
        Ok(_) => Ok(Written::Done),
        Err(sqlx::Error::Database(error)) if error.constraint() == Some(ONE_EXECUTION_PER_KEY) => Ok(Written::KeyUsed),
        Err(error) => Err(error),
    }
}
