//! Telling users what happened, as it happens: the coach's advice, price alerts, and the live
//! event stream behind every open page.
//!
//! The path of an event: a write stores it in `user_events` inside its own transaction
//! ([`publish`]); on commit PostgreSQL NOTIFYs every instance; each instance's [`listener`] hands
//! it to the [`hub`], which fans it out to the user's open [`stream`]s on that instance.

pub mod events;
pub mod hub;
pub mod listener;
pub mod route;
pub mod stream;

use crate::server::notifications;
use crate::server::notifications::repo::NewNotification;
use crate::wire::live::{TradeEvent, GAMES_EVENT, NOTIFICATION_EVENT, TRADE_EVENT, WATCHLIST_EVENT};
use crate::wire::notifications::NotificationView;
use hub::Hub;
use sqlx::PgConnection;
use std::sync::Arc;
use tokio::sync::watch;
use uuid::Uuid;

/// One instance's live-update machinery: the hub of open streams, whether this instance is
/// listening to the database, and the signal that ends every stream at shutdown.
pub struct Live {
    pub hub: Arc<Hub>,
    listening: watch::Sender<bool>,
    shutting_down: watch::Sender<bool>,
}

impl Live {
    pub fn new(limits: crate::server::platform::config::StreamLimits) -> Arc<Live> {
        Arc::new(Live {
            hub: Arc::new(Hub::new(limits)),
            listening: watch::Sender::new(false),
            shutting_down: watch::Sender::new(false),
        })
    }

    /// Ends every open stream and stops the listener.
    pub fn shut_down(&self) {
        self.shutting_down.send_replace(true);
    }

    /// Resolves once the server is shutting down.
    pub async fn shutdown_started(&self) {
        let mut receiver = self.shutting_down.subscribe();
        // Err means the sender is gone, which only happens when `Live` is dropped.
        let _ = receiver.wait_for(|down| *down).await;
    }

    /// Resolves once this instance's listener is receiving the database's notifications.
    pub async fn listening(&self) {
        let mut receiver = self.listening.subscribe();
        let _ = receiver.wait_for(|listening| *listening).await;
    }

    fn set_listening(&self, listening: bool) {
        self.listening.send_replace(listening);
    }
}

/// Stores a notification for `user_id` and queues it for their open pages (delivered when the
/// transaction commits).
pub async fn publish_notification(
    conn: &mut PgConnection,
    notification: &NewNotification<'_>,
) -> Result<NotificationView, sqlx::Error> {
    let view = notifications::view(notifications::repo::insert(conn, notification).await?);
    events::insert(conn, notification.user_id, NOTIFICATION_EVENT, &to_json(&view)).await?;
    Ok(view)
}

/// An executed trade as the event the user's open pages get: its kind and payload. The fill's own
/// statement stores it (`portfolio::repo::fills`), so it is delivered when the fill commits.
pub fn trade_news(trade: &TradeEvent) -> (&'static str, serde_json::Value) {
    (TRADE_EVENT, to_json(trade))
}

/// Tells the user's open pages that the watchlist or its alerts changed.
pub async fn publish_watchlist_change(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    events::insert(conn, user_id, WATCHLIST_EVENT, &serde_json::json!({})).await?;
    Ok(())
}

/// Tells the user's open pages, on every instance, that a session of theirs ended or their
/// password changed: each stream checks its own session and ends if it no longer holds.
pub async fn publish_sign_in_change<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<(), sqlx::Error> {
    notify(conn, listener::SIGN_IN_CHANNEL, user_id).await
}

/// Tells the user's open pages that they joined or created a game: their streams follow its
/// changes from now on.
pub async fn publish_games_change(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    events::insert(conn, user_id, GAMES_EVENT, &serde_json::json!({})).await?;
    Ok(())
}

/// Tells every instance that a game's standings changed (a player's fill): the pages showing
/// its leaderboard reload it. Sent when the transaction commits; nothing to replay, since a page
/// that reconnects reloads the leaderboard anyway.
pub async fn publish_game_change<'c>(conn: impl sqlx::PgExecutor<'c>, game_id: Uuid) -> Result<(), sqlx::Error> {
    notify(conn, listener::GAME_CHANNEL, game_id).await
}

/// `pg_notify(channel, id)`: every instance's listener hears it once the transaction commits.
async fn notify<'c>(conn: impl sqlx::PgExecutor<'c>, channel: &str, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

fn to_json(value: &impl serde::Serialize) -> serde_json::Value {
    // Our wire types are plain structs of strings and numbers; serializing them cannot fail.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
