//! A notification as the pages show it, and a page of the notification centre.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification as the pages show it (also the payload of a live `notification` event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: Uuid,
    pub title: String,
    pub message: String,
    /// Which rule wrote it: `welcome`, `first_trade`, `concentration`, `price_alert`, …
    pub trigger_type: String,
    /// A page of this site that the notification is about.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    /// 1-based, clamped to the pages there are.
    pub page: i64,
    pub pages: i64,
    /// Notifications not dismissed, over all pages.
    pub total: i64,
    /// Notifications neither read nor dismissed (the header's badge).
    pub unread: i64,
}
