//! The `portfolios` table.

use crate::api::portfolio::{HoldingLine, PortfolioOverview};
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

/// The user's active portfolio with its holdings, largest position first.
#[tracing::instrument(skip(pool))]
pub async fn overview(pool: &sqlx::PgPool, user_id: Uuid) -> Result<Option<PortfolioOverview>, sqlx::Error> {
    let portfolio: Option<(Uuid, Decimal, Decimal)> = sqlx::query_as(
        "SELECT id, cash_balance, starting_cash FROM portfolios WHERE user_id = $1 AND archived_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let Some((id, cash, starting_cash)) = portfolio else { return Ok(None) };
    let rows: Vec<(String, i64, Decimal)> = sqlx::query_as(
        "SELECT symbol, shares, average_price FROM holdings WHERE portfolio_id = $1
         ORDER BY shares * average_price DESC, symbol",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let holdings = rows
        .into_iter()
        .map(|(symbol, shares, average)| HoldingLine { symbol, shares, average_cost: Money::from_decimal(average) })
        .collect();
    Ok(Some(PortfolioOverview {
        cash: Money::from_decimal(cash),
        starting_cash: Money::from_decimal(starting_cash),
        holdings,
    }))
}
