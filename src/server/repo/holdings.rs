//! The `holdings` table.

use crate::domain::portfolio::Position;
use crate::domain::Symbol;
use sqlx::PgConnection;
use uuid::Uuid;

/// Every holding of the portfolio, (symbol, shares, average price), locked until the
/// transaction ends: an order needs its own position and, for the value snapshot, all the rest.
pub async fn lock_all(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
) -> Result<Vec<(String, i64, rust_decimal::Decimal)>, sqlx::Error> {
    sqlx::query_as("SELECT symbol, shares, average_price FROM holdings WHERE portfolio_id = $1 FOR UPDATE")
        .bind(portfolio_id)
        .fetch_all(conn)
        .await
}

/// Stores the position after an order: updated, created, or removed when `None`.
pub async fn save(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    symbol: &Symbol,
    position: Option<&Position>,
) -> Result<(), sqlx::Error> {
    let Some(position) = position else {
        sqlx::query("DELETE FROM holdings WHERE portfolio_id = $1 AND symbol = $2")
            .bind(portfolio_id)
            .bind(symbol.as_str())
            .execute(conn)
            .await?;
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO holdings (portfolio_id, symbol, shares, average_price) VALUES ($1, $2, $3, $4)
         ON CONFLICT (portfolio_id, symbol) DO UPDATE
         SET shares = EXCLUDED.shares, average_price = EXCLUDED.average_price",
    )
    .bind(portfolio_id)
    .bind(symbol.as_str())
    .bind(position.shares)
    .bind(position.average_price)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every holding of a portfolio: (symbol, shares, average price).
pub async fn of_portfolio(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
) -> Result<Vec<(String, i64, rust_decimal::Decimal)>, sqlx::Error> {
    sqlx::query_as("SELECT symbol, shares, average_price FROM holdings WHERE portfolio_id = $1")
        .bind(portfolio_id)
        .fetch_all(conn)
        .await
}

/// Every holding of several portfolios: (portfolio id, symbol, shares, average price).
pub async fn of_portfolios(
    conn: &mut PgConnection,
    portfolio_ids: &[Uuid],
) -> Result<Vec<(Uuid, String, i64, rust_decimal::Decimal)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT portfolio_id, symbol, shares, average_price FROM holdings WHERE portfolio_id = ANY($1) ORDER BY symbol",
    )
    .bind(portfolio_ids)
    .fetch_all(conn)
    .await
}
