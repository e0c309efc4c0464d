//! The `tower_sessions.session` table (created by `tower_sessions_sqlx_store`'s migration): one
//! row per session, its MessagePack-encoded record and its expiry.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// The encoded record of a session that has not expired.
pub async fn load<'c>(conn: impl PgExecutor<'c>, id: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT data FROM tower_sessions.session WHERE id = $1 AND expiry_date > now()")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Inserts a new session; false (and nothing written) when the id is taken.
pub async fn insert_new<'c>(
    conn: impl PgExecutor<'c>,
    id: &str,
    data: &[u8],
    expiry: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(data)
    .bind(expiry)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes a session, new or existing.
pub async fn upsert<'c>(
    conn: impl PgExecutor<'c>,
    id: &str,
    data: &[u8],
    expiry: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
    )
    .bind(id)
    .bind(data)
    .bind(expiry)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete<'c>(conn: impl PgExecutor<'c>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Deletes the sessions that have expired; returns how many.
pub async fn delete_expired<'c>(conn: impl PgExecutor<'c>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM tower_sessions.session WHERE expiry_date < now()").execute(conn).await?.rows_affected())
}
