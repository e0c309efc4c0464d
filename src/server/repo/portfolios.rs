//! The `portfolios` table.

use crate::domain::Money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[tracing::instrument(skip(conn))]
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
    starting_cash: Money,
    cash_balance: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO portfolios (id, user_id, starting_cash, cash_balance) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user_id)
        .bind(starting_cash.amount())
        .bind(cash_balance.amount())
        .execute(conn)
        .await?;
    Ok(())
}

/// The stored state of a user's active portfolio, before valuation.
pub struct StoredPortfolio {
    pub id: Uuid,
    pub cash: Money,
    pub starting_cash: Money,
    pub opened_at: DateTime<Utc>,
    /// (symbol, shares, average price)
    pub holdings: Vec<(String, i64, Decimal)>,
}

/// The user's active portfolio with its holdings.
#[tracing::instrument(skip(conn))]
pub async fn holdings_of_active(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<StoredPortfolio>, sqlx::Error> {
    let portfolio: Option<(Uuid, Decimal, Decimal, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, cash_balance, starting_cash, created_at FROM portfolios WHERE user_id = $1 AND archived_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, cash, starting_cash, opened_at)) = portfolio else { return Ok(None) };
    let holdings = super::holdings::of_portfolio(conn, id).await?;
    Ok(Some(StoredPortfolio {
        id,
        cash: Money::from_decimal(cash),
        starting_cash: Money::from_decimal(starting_cash),
        opened_at,
        holdings,
    }))
}

/// Archives a portfolio: it keeps its holdings and ledger but leaves every view.
pub async fn archive(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE portfolios SET archived_at = now() WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The user's active portfolio (with no holdings read yet), locked until the transaction ends.
/// Orders lock the portfolio first and its holdings second, always in that order, so they cannot
/// deadlock.
pub async fn lock_active(conn: &mut PgConnection, user_id: Uuid) -> Result<Option<StoredPortfolio>, sqlx::Error> {
    let row: Option<(Uuid, Decimal, Decimal, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, cash_balance, starting_cash, created_at FROM portfolios
         WHERE user_id = $1 AND archived_at IS NULL FOR UPDATE",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, cash, starting_cash, opened_at)| StoredPortfolio {
        id,
        cash: Money::from_decimal(cash),
        starting_cash: Money::from_decimal(starting_cash),
        opened_at,
        holdings: Vec::new(),
    }))
}

pub async fn active_id(conn: &mut PgConnection, user_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM portfolios WHERE user_id = $1 AND archived_at IS NULL")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

pub async fn set_cash(conn: &mut PgConnection, id: Uuid, cash: Money) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE portfolios SET cash_balance = $2 WHERE id = $1")
        .bind(id)
        .bind(cash.amount())
        .execute(conn)
        .await?;
    Ok(())
}

/// An active portfolio as the scheduled coach reads it, a page at a time.
#[derive(sqlx::FromRow)]
pub struct ActivePortfolio {
    pub id: Uuid,
    pub user_id: Uuid,
    pub cash_balance: Decimal,
    pub starting_cash: Decimal,
    pub created_at: DateTime<Utc>,
    pub last_trade_at: Option<DateTime<Utc>>,
}

/// Up to `limit` active portfolios with ids after `after`, in id order (keyset pagination).
pub async fn active_page(
    conn: &mut PgConnection,
    after: Uuid,
    limit: i64,
) -> Result<Vec<ActivePortfolio>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.user_id, p.cash_balance, p.starting_cash, p.created_at,
                (SELECT max(t.executed_at) FROM trades t WHERE t.portfolio_id = p.id) AS last_trade_at
         FROM portfolios p WHERE p.archived_at IS NULL AND p.id > $1 ORDER BY p.id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}
