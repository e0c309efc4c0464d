//! The `portfolios` table.

use crate::domain::Money;
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
    /// (symbol, shares, average price)
    pub holdings: Vec<(String, i64, Decimal)>,
}

/// The user's active portfolio with its holdings.
#[tracing::instrument(skip(conn))]
pub async fn holdings_of_active(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<StoredPortfolio>, sqlx::Error> {
    let portfolio: Option<(Uuid, Decimal, Decimal)> = sqlx::query_as(
        "SELECT id, cash_balance, starting_cash FROM portfolios WHERE user_id = $1 AND archived_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, cash, starting_cash)) = portfolio else { return Ok(None) };
    let holdings = super::holdings::of_portfolio(conn, id).await?;
    Ok(Some(StoredPortfolio {
        id,
        cash: Money::from_decimal(cash),
        starting_cash: Money::from_decimal(starting_cash),
        holdings,
    }))
}

/// Archives a portfolio: it keeps its holdings and ledger but leaves every view.
pub async fn archive(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE portfolios SET archived_at = now() WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The user's active portfolio id and cash, locked until the transaction ends. Orders lock the
/// portfolio first and the holding second, always in that order, so they cannot deadlock.
pub async fn lock_active(conn: &mut PgConnection, user_id: Uuid) -> Result<Option<(Uuid, Money)>, sqlx::Error> {
    let row: Option<(Uuid, Decimal)> =
        sqlx::query_as("SELECT id, cash_balance FROM portfolios WHERE user_id = $1 AND archived_at IS NULL FOR UPDATE")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, cash)| (id, Money::from_decimal(cash))))
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
