//! The `price_alerts` table. An alert is claimed by one conditional `UPDATE`, so with several
//! instances evaluating alerts each one still fires exactly once.

use crate::domain::alert::AlertDirection;
use crate::domain::{Money, Symbol};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AlertRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub symbol: String,
    pub direction: String,
    pub threshold: Decimal,
    pub created_at: DateTime<Utc>,
    pub triggered_at: Option<DateTime<Utc>>,
    pub triggered_price: Option<Decimal>,
}

impl AlertRow {
    /// The direction; the table's CHECK allows only 'above' and 'below'.
    pub fn direction(&self) -> AlertDirection {
        if self.direction == "below" {
            AlertDirection::Below
        } else {
            AlertDirection::Above
        }
    }
}

const COLUMNS: &str = "id, user_id, symbol, direction, threshold, created_at, triggered_at, triggered_price";

/// The user's alerts: waiting ones first, newest first within each group.
pub async fn of_user<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<Vec<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM price_alerts WHERE user_id = $1
         ORDER BY triggered_at IS NOT NULL, coalesce(triggered_at, created_at) DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

pub async fn pending_count(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM price_alerts WHERE user_id = $1 AND triggered_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

pub async fn insert(
    conn: &mut PgConnection,
    user_id: Uuid,
    symbol: &Symbol,
    direction: AlertDirection,
    threshold: Money,
) -> Result<AlertRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO price_alerts (user_id, symbol, direction, threshold) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
    ))
    .bind(user_id)
    .bind(symbol.as_str())
    .bind(direction.as_str())
    .bind(threshold.amount())
    .fetch_one(conn)
    .await
}

/// Deletes one of the user's alerts; true when it existed.
pub async fn delete<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM price_alerts WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the user's alerts on `symbol`.
pub async fn delete_for_symbol(conn: &mut PgConnection, user_id: Uuid, symbol: &Symbol) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM price_alerts WHERE user_id = $1 AND symbol = $2")
        .bind(user_id)
        .bind(symbol.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Symbols with at least one alert still waiting.
pub async fn pending_symbols<'c>(conn: impl sqlx::PgExecutor<'c>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT symbol FROM price_alerts WHERE triggered_at IS NULL").fetch_all(conn).await
}

/// The waiting alerts on `symbol` that `price` crosses (not yet claimed).
pub async fn crossed<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    symbol: &str,
    price: Money,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM price_alerts
         WHERE symbol = $1 AND triggered_at IS NULL
           AND ((direction = 'above' AND $2 >= threshold) OR (direction = 'below' AND $2 <= threshold))
         ORDER BY created_at",
    )
    .bind(symbol)
    .bind(price.amount())
    .fetch_all(conn)
    .await
}

/// Marks the alert fired at `price`, unless it already fired; returns it when this call fired it.
/// One conditional `UPDATE`: with several instances evaluating alerts, each alert fires once.
pub async fn fire(
    conn: &mut PgConnection,
    id: Uuid,
    price: Money,
    now: DateTime<Utc>,
) -> Result<Option<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE price_alerts SET triggered_at = $3, triggered_price = $2
         WHERE id = $1 AND triggered_at IS NULL RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(price.amount())
    .bind(now)
    .fetch_optional(conn)
    .await
}
