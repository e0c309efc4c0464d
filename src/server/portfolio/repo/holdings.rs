//! The `holdings` table. Rows decode straight into [`Holding`]s.

use crate::domain::portfolio::{Holding, Position};
use crate::domain::Symbol;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Row};
use std::collections::HashMap;
use uuid::Uuid;

impl FromRow<'_, PgRow> for Holding {
    fn from_row(row: &PgRow) -> Result<Holding, sqlx::Error> {
        let symbol: String = row.try_get("symbol")?;
        Ok(Holding {
            // The column's CHECK is the domain's rule, so this fails only on a corrupt row.
            symbol: Symbol::parse(&symbol)
                .map_err(|error| sqlx::Error::ColumnDecode { index: "symbol".into(), source: Box::new(error) })?,
            position: Position { shares: row.try_get("shares")?, average_price: row.try_get("average_price")? },
        })
    }
}

/// The shares of `symbol` the portfolio holds (0 when none).
pub async fn shares_of(conn: &mut PgConnection, portfolio_id: Uuid, symbol: &Symbol) -> Result<i64, sqlx::Error> {
    let shares: Option<i64> = sqlx::query_scalar("SELECT shares FROM holdings WHERE portfolio_id = $1 AND symbol = $2")
        .bind(portfolio_id)
        .bind(symbol.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(shares.unwrap_or(0))
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

/// Every holding of several portfolios, by portfolio, each portfolio's in symbol order.
pub async fn of_portfolios(
    conn: &mut PgConnection,
    portfolio_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Holding>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT portfolio_id, symbol, shares, average_price FROM holdings WHERE portfolio_id = ANY($1) ORDER BY symbol",
    )
    .bind(portfolio_ids)
    .fetch_all(conn)
    .await?;
    let mut grouped: HashMap<Uuid, Vec<Holding>> = HashMap::new();
    for row in &rows {
        grouped.entry(row.try_get("portfolio_id")?).or_default().push(Holding::from_row(row)?);
    }
    Ok(grouped)
}
