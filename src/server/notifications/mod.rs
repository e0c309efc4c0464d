//! The notification centre's pages.

pub mod repo;

use crate::domain::limits::NOTIFICATIONS_PAGE_SIZE;
use crate::server::notifications::repo::NotificationRow;
use crate::wire::notifications::{NotificationPage, NotificationView};
use crate::wire::AppError;
use sqlx::PgPool;
use uuid::Uuid;

/// Page `requested` (1-based, clamped to the last page) of the user's notifications.
pub async fn page(pool: &PgPool, user_id: Uuid, requested: i64) -> Result<NotificationPage, AppError> {
    let mut conn = pool.acquire().await?;
    let total = repo::count_visible(&mut conn, user_id).await?;
    let pages = crate::domain::number::page_count(total, NOTIFICATIONS_PAGE_SIZE);
    let page = requested.clamp(1, pages);
    let rows =
        repo::list_visible(&mut conn, user_id, NOTIFICATIONS_PAGE_SIZE, (page - 1) * NOTIFICATIONS_PAGE_SIZE).await?;
    let unread = repo::unread_count(&mut *conn, user_id).await?;
    Ok(NotificationPage { items: rows.into_iter().map(view).collect(), page, pages, total, unread })
}

pub fn view(row: NotificationRow) -> NotificationView {
    NotificationView {
        id: row.id,
        title: row.title,
        message: row.message,
        trigger_type: row.trigger_type,
        link: row.link,
        created_at: row.created_at,
        read: row.is_read,
    }
}
