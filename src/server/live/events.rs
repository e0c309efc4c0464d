//! The `user_events` log: what live pages must not miss, in order. An insert trigger NOTIFYs
//! every listening instance when the transaction commits.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A stored event; `payload` is the JSON the stream sends as the event's data.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct StoredEvent {
    pub id: i64,
    pub user_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
}

/// Appends an event for `user_id`; returns its id.
///
/// Ids come from a sequence when the row is inserted, not when it commits, so two transactions
/// writing events for one user could commit out of id order, and a page that had seen the later id
/// would skip the earlier one for good. A per-user advisory lock, held to the end of the
/// transaction, makes one user's events commit in id order. (Each transaction that writes events
/// writes them for one user only, so these locks cannot deadlock with each other.)
pub async fn insert(
    conn: &mut PgConnection,
    user_id: Uuid,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<i64, sqlx::Error> {
    // One round trip: the row comes from the lock's subquery, so the lock is held before the
    // insert draws its id.
    sqlx::query_scalar(
        "INSERT INTO user_events (user_id, kind, payload)
         SELECT $1, $2, $3 FROM (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))) AS locked
         RETURNING id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(payload)
    .fetch_one(conn)
    .await
}

/// The user's events after `after`, oldest first, at most `limit`.
pub async fn after<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    user_id: Uuid,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, kind, payload FROM user_events WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// One event by id (for NOTIFY messages that were too big to carry their payload).
pub async fn by_id<'c>(conn: impl sqlx::PgExecutor<'c>, id: i64) -> Result<Option<StoredEvent>, sqlx::Error> {
    sqlx::query_as("SELECT id, user_id, kind, payload FROM user_events WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The newest event id of the user, 0 when there is none.
pub async fn latest_id<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM user_events WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Deletes events created before `cutoff`; returns how many.
pub async fn delete_before<'c>(conn: impl sqlx::PgExecutor<'c>, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM user_events WHERE created_at < $1").bind(cutoff).execute(conn).await?.rows_affected())
}
