//! The notification centre: the coach's advice and fired price alerts, newest first, with read
//! and dismissed states. Every function acts on the caller's own notifications only.

use crate::wire::notifications::NotificationPage;
use crate::wire::AppError;
use leptos::prelude::*;

/// A page of the caller's notifications (dismissed ones left out), newest first.
#[server(prefix = "/api", endpoint = "notifications")]
pub async fn notifications(page: Option<i64>) -> Result<NotificationPage, AppError> {
    use crate::server::notifications;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(
        |Caller { state, user, .. }| async move { notifications::page(&state.pool, user.id, page.unwrap_or(1)).await },
    )
    .await
}

/// How many of the caller's notifications are unread; 0 when signed out, so every page's header
/// can ask.
#[server(prefix = "/api", endpoint = "unread_count")]
pub async fn unread_count() -> Result<i64, AppError> {
    use crate::server::notifications::repo;
    use crate::server::platform::http::endpoint::anyone;
    anyone(|mut visitor| async move {
        match visitor.user().await? {
            Some(user) => Ok(repo::unread_count(&visitor.state.pool, user.id).await?),
            None => Ok(0),
        }
    })
    .await
}

/// Marks one of the caller's notifications read (idempotent).
#[server(prefix = "/api", endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: String) -> Result<(), AppError> {
    use crate::server::notifications::repo;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        let id = parse_notification_id(&id)?;
        repo::mark_read(&state.pool, user.id, id, chrono::Utc::now())
            .await?
            .then_some(())
            .ok_or_else(|| AppError::NotFound("that notification".into()))
    })
    .await
}

/// Marks every unread notification of the caller read; answers how many changed.
#[server(prefix = "/api", endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read() -> Result<i64, AppError> {
    use crate::server::notifications::repo;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        Ok(repo::mark_all_read(&state.pool, user.id, chrono::Utc::now()).await?)
    })
    .await
}

/// Hides one of the caller's notifications from the centre (it counts as read too).
#[server(prefix = "/api", endpoint = "dismiss_notification")]
pub async fn dismiss_notification(id: String) -> Result<(), AppError> {
    use crate::server::notifications::repo;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        let id = parse_notification_id(&id)?;
        repo::dismiss(&state.pool, user.id, id, chrono::Utc::now())
            .await?
            .then_some(())
            .ok_or_else(|| AppError::NotFound("that notification".into()))
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_notification_id(text: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| AppError::NotFound("that notification".into()))
}
