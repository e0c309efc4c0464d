//! The `notifications` table.

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
}

#[tracing::instrument(skip_all, fields(user_id = %notification.user_id, trigger = notification.trigger_type))]
pub async fn insert(conn: &mut PgConnection, notification: &NewNotification<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (user_id, title, message, trigger_type, link, created_at, is_read, read_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(notification.user_id)
    .bind(notification.title)
    .bind(notification.message)
    .bind(notification.trigger_type)
    .bind(notification.link)
    .bind(notification.created_at)
    .bind(notification.read_at.is_some())
    .bind(notification.read_at)
    .execute(conn)
    .await?;
    Ok(())
}
