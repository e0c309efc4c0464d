//! The `holdings` table.

use crate::domain::portfolio::Position;
use crate::domain::Symbol;
use sqlx::PgConnection;
use uuid::Uuid;

#[tracing::instrument(skip(conn, position))]
pub async fn insert(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    symbol: &Symbol,
    position: &Position,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO holdings (portfolio_id, symbol, shares, average_price) VALUES ($1, $2, $3, $4)")
        .bind(portfolio_id)
        .bind(symbol.as_str())
        .bind(position.shares)
        .bind(position.average_price)
        .execute(conn)
        .await?;
    Ok(())
}
