//! The `watchlist_items` table: symbols a user follows, in the order they were added.

use crate::domain::Symbol;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn symbols<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT symbol FROM watchlist_items WHERE user_id = $1 ORDER BY added_at, symbol")
        .bind(user_id)
        .fetch_all(conn)
        .await
}

/// Adds `symbol` unless it is there already; true when it was added.
pub async fn add(conn: &mut PgConnection, user_id: Uuid, symbol: &Symbol) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("INSERT INTO watchlist_items (user_id, symbol) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(symbol.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM watchlist_items WHERE user_id = $1").bind(user_id).fetch_one(conn).await
}

/// Removes `symbol`; true when it was there.
pub async fn remove(conn: &mut PgConnection, user_id: Uuid, symbol: &Symbol) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM watchlist_items WHERE user_id = $1 AND symbol = $2")
        .bind(user_id)
        .bind(symbol.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The symbols the user holds in the active portfolio or watches: what their live prices cover.
pub async fn followed_symbols<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT h.symbol FROM holdings h JOIN portfolios p ON p.id = h.portfolio_id
         WHERE p.user_id = $1 AND p.archived_at IS NULL
         UNION
         SELECT symbol FROM watchlist_items WHERE user_id = $1
         ORDER BY 1",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}
