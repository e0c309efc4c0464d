//! The `notifications` table.

use crate::domain::coach::Advice;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewNotification<'a> {
    pub user_id: Uuid,
    pub title: &'a str,
    pub message: &'a str,
    pub trigger_type: &'a str,
    pub link: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The game portfolio the note is about, for its game's teacher's view; `None` otherwise.
    pub portfolio_id: Option<Uuid>,
}

impl<'a> NewNotification<'a> {
    /// The coach's `advice` for `user_id`, unread, written at `now`.
    pub fn advice(user_id: Uuid, advice: &'a Advice, now: DateTime<Utc>) -> NewNotification<'a> {
        NewNotification {
            user_id,
            title: &advice.title,
            message: &advice.message,
            trigger_type: advice.rule.trigger_type(),
            link: Some(&advice.link),
            created_at: now,
            read_at: None,
            portfolio_id: None,
        }
    }
}

impl<'a> NewNotification<'a> {
    /// The same note, about the game portfolio `portfolio_id` (`None`: about no game).
    pub fn about(self, portfolio_id: Option<Uuid>) -> NewNotification<'a> {
        NewNotification { portfolio_id, ..self }
    }

    /// What happened to one of `user_id`'s open orders (it filled, or could not), unread.
    pub fn order_news(user_id: Uuid, title: &'a str, message: &'a str, now: DateTime<Utc>) -> NewNotification<'a> {
        NewNotification {
            user_id,
            title,
            message,
            trigger_type: ORDER_NEWS,
            link: Some("/orders"),
            created_at: now,
            read_at: None,
            portfolio_id: None,
        }
    }
}

impl<'a> NewNotification<'a> {
    /// News from a game's organiser (a cash adjustment, a removal), unread, with its page.
    pub fn game_news(
        user_id: Uuid,
        title: &'a str,
        message: &'a str,
        link: &'a str,
        now: DateTime<Utc>,
    ) -> NewNotification<'a> {
        NewNotification {
            user_id,
            title,
            message,
            trigger_type: crate::server::games::organiser::GAME_NEWS,
            link: Some(link),
            created_at: now,
            read_at: None,
            portfolio_id: None,
        }
    }
}

/// The trigger type of notifications about open orders.
pub const ORDER_NEWS: &str = "order";

/// A stored notification, as the centre lists it.
#[derive(sqlx::FromRow)]
pub struct NotificationRow {
    pub id: Uuid,
    pub title: String,
    pub message: String,
    pub trigger_type: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub is_read: bool,
}

const COLUMNS: &str = "id, title, message, trigger_type, link, created_at, is_read";

/// Inserts a notification and returns it as stored.
#[tracing::instrument(skip_all, fields(user_id = %notification.user_id, trigger = notification.trigger_type))]
pub async fn insert(
    conn: &mut PgConnection,
    notification: &NewNotification<'_>,
) -> Result<NotificationRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO notifications (user_id, title, message, trigger_type, link, created_at, is_read, read_at,
                                    portfolio_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING {COLUMNS}"
    ))
    .bind(notification.user_id)
    .bind(notification.title)
    .bind(notification.message)
    .bind(notification.trigger_type)
    .bind(notification.link)
    .bind(notification.created_at)
    .bind(notification.read_at.is_some())
    .bind(notification.read_at)
    .bind(notification.portfolio_id)
    .fetch_one(conn)
    .await
}

/// Notifications the user has not dismissed.
pub async fn count_visible(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT is_dismissed")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// A page of the user's notifications that are not dismissed, newest first.
pub async fn list_visible(
    conn: &mut PgConnection,
    user_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications
         WHERE user_id = $1 AND NOT is_dismissed
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Notifications neither read nor dismissed (served by a partial index).
pub async fn unread_count<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT is_read AND NOT is_dismissed")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Marks one of the user's notifications read; false when the user has no such notification.
pub async fn mark_read<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    update_own(conn, user_id, id, now, "is_read = true, read_at = coalesce(read_at, $3)").await
}

/// Marks every unread notification of the user read; returns how many changed.
pub async fn mark_all_read<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET is_read = true, read_at = $2
         WHERE user_id = $1 AND NOT is_read AND NOT is_dismissed",
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(i64::try_from(done.rows_affected()).unwrap_or(i64::MAX))
}

/// Dismisses one of the user's notifications (and marks it read); false when there is no such one.
pub async fn dismiss<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changes = "is_dismissed = true, dismissed_at = coalesce(dismissed_at, $3),
                   is_read = true, read_at = coalesce(read_at, $3)";
    update_own(conn, user_id, id, now, changes).await
}

/// Applies `changes` (SQL `SET` assignments, `$3` being `now`) to notification `id` if it is the
/// user's; false when it is not.
async fn update_own<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
    changes: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<Uuid> =
        sqlx::query_scalar(&format!("UPDATE notifications SET {changes} WHERE id = $1 AND user_id = $2 RETURNING id"))
            .bind(id)
            .bind(user_id)
            .bind(now)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}
