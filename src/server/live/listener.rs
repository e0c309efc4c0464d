//! Each instance's ear on the database: LISTEN on `user_events` (and on `user_sign_ins`, whose
//! messages tell a user's streams to check their sessions) and hand every notification to the hub. After any (re)connection the hub's streams re-read from the table, so an event that
//! committed while the connection was down still arrives.

use crate::server::live::events::{self, StoredEvent};
use crate::server::live::Live;
use serde::Deserialize;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub const CHANNEL: &str = "user_events";
/// Sign-in changes (a user id per message), outside the stored events: nothing to replay.
pub const SIGN_IN_CHANNEL: &str = "user_sign_ins";
/// Games whose standings changed (a game id per message): nothing to replay either.
pub const GAME_CHANNEL: &str = "game_changes";
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The NOTIFY payload written by the `notify_user_event` trigger.
#[derive(Deserialize)]
struct Message {
    id: i64,
    user_id: Uuid,
    kind: String,
    /// Left out when the event was too big for a NOTIFY.
    payload: Option<serde_json::Value>,
}

/// Listens until the server shuts down, reconnecting after failures.
pub async fn run(pool: PgPool, live: Arc<Live>) {
    loop {
        tokio::select! {
            () = live.shutdown_started() => break,
            () = listen(&pool, &live) => {}
        }
        live.set_listening(false);
        tokio::select! {
            () = live.shutdown_started() => break,
            () = tokio::time::sleep(RETRY_AFTER) => {}
        }
    }
    live.set_listening(false);
}

/// One connection's worth of listening; returns when the connection fails.
async fn listen(pool: &PgPool, live: &Live) {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "cannot connect the event listener; retrying");
            return;
        }
    };
    if let Err(error) = listener.listen_all([CHANNEL, SIGN_IN_CHANNEL, GAME_CHANNEL]).await {
        tracing::warn!(%error, "cannot LISTEN for events; retrying");
        return;
    }
    live.set_listening(true);
    live.hub.resync_all();
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.channel() == SIGN_IN_CHANNEL => {
                match notification.payload().parse::<Uuid>() {
                    Ok(user_id) => live.hub.sign_in_changed(user_id),
                    Err(_) => tracing::warn!("ignoring a malformed sign-in notification"),
                }
            }
            Ok(Some(notification)) if notification.channel() == GAME_CHANNEL => {
                match notification.payload().parse::<Uuid>() {
                    Ok(game_id) => live.hub.game_changed(game_id),
                    Err(_) => tracing::warn!("ignoring a malformed game notification"),
                }
            }
            Ok(Some(notification)) => deliver(pool, live, notification.payload()).await,
            Ok(None) => {
                tracing::warn!("event listener lost its connection; reconnecting");
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "event listener failed; reconnecting");
                return;
            }
        }
    }
}

async fn deliver(pool: &PgPool, live: &Live, payload: &str) {
    let message: Message = match serde_json::from_str(payload) {
        Ok(message) => message,
        Err(error) => {
            tracing::warn!(%error, "ignoring a malformed event notification");
            return;
        }
    };
    let event = match message.payload {
        Some(payload) => StoredEvent { id: message.id, user_id: message.user_id, kind: message.kind, payload },
        None => match events::by_id(pool, message.id).await {
            Ok(Some(event)) => event,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, id = message.id, "cannot read a large event; its streams will resync");
                live.hub.resync_all();
                return;
            }
        },
    };
    live.hub.deliver(event);
}
