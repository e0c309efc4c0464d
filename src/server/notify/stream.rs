//! One open page's live stream: the user's stored events (catching up from a `Last-Event-ID`),
//! then live ones from the hub, and the prices of what the user holds or watches. It ends when
//! the server shuts down or after [`MAX_AGE`], when the browser reconnects and its session is
//! checked again.

use super::hub::{Delivery, Subscription};
use super::Live;
use crate::api::live::{PricesEvent, ReadyEvent, PRICES_EVENT, READY_EVENT, TRADE_EVENT, WATCHLIST_EVENT};
use crate::api::AppError;
use crate::domain::Symbol;
use crate::server::market::Market;
use crate::server::repo::events::{self, StoredEvent};
use crate::server::repo::watchlist;
use crate::server::state::AppState;
use axum::response::sse::Event;
use futures_util::Stream;
use sqlx::PgPool;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, Interval, MissedTickBehavior};
use uuid::Uuid;

/// How often prices are pushed while the user holds or watches something.
pub const PRICES_EVERY: Duration = Duration::from_secs(5);
/// A stream's longest life; the browser reconnects at once (with `Last-Event-ID`).
pub const MAX_AGE: Duration = Duration::from_secs(30 * 60);
/// Stored events replayed on one (re)connection at most.
const CATCH_UP_LIMIT: i64 = 500;
/// How long a new stream waits for this instance's listener before going ahead.
const LISTENER_WAIT: Duration = Duration::from_secs(5);

struct LiveStream {
    user_id: Uuid,
    pool: PgPool,
    market: Market,
    live: Arc<Live>,
    subscription: Subscription,
    /// The newest stored event this stream has sent (or that the page already had).
    last_id: i64,
    pending: VecDeque<Event>,
    followed: Vec<Symbol>,
    prices: Option<Interval>,
    ends_at: Instant,
}

/// Opens a stream for `user_id`; `after` is the last stored event id the page has seen.
pub async fn open(
    state: &AppState,
    user_id: Uuid,
    after: Option<i64>,
) -> Result<impl Stream<Item = Result<Event, Infallible>>, AppError> {
    // Subscribe before reading the table, so nothing committed in between is lost.
    let subscription = state.live.hub.subscribe(user_id);
    if tokio::time::timeout(LISTENER_WAIT, state.live.listening()).await.is_err() {
        tracing::warn!("opening an event stream while this instance is not listening; it will catch up later");
    }
    let mut stream = LiveStream {
        user_id,
        pool: state.pool.clone(),
        market: state.market.clone(),
        live: state.live.clone(),
        subscription,
        last_id: 0,
        pending: VecDeque::new(),
        followed: Vec::new(),
        prices: None,
        ends_at: Instant::now() + MAX_AGE,
    };
    match after {
        Some(after) => {
            stream.last_id = after;
            stream.catch_up().await?;
        }
        None => stream.last_id = events::latest_id(&stream.pool, user_id).await?,
    }
    stream.pending.push_front(json_event(READY_EVENT, &ReadyEvent { last_id: stream.last_id }));
    stream.refresh_followed().await;
    Ok(futures_util::stream::unfold(stream, |mut stream| async move {
        stream.next().await.map(|event| (Ok(event), stream))
    }))
}

impl LiveStream {
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            tokio::select! {
                () = self.live.shutdown_started() => return None,
                () = tokio::time::sleep_until(self.ends_at) => return None,
                delivery = self.subscription.recv() => self.receive(delivery).await,
                () = next_tick(&mut self.prices) => self.push_prices().await,
            }
        }
    }

    async fn receive(&mut self, delivery: Delivery) {
        match delivery {
            Delivery::Event(event) => self.accept(&event).await,
            Delivery::Resync => {
                if let Err(error) = self.catch_up().await {
                    tracing::warn!(?error, "cannot catch up an event stream; will retry on the next resync");
                }
            }
        }
    }

    async fn accept(&mut self, event: &StoredEvent) {
        if event.id <= self.last_id {
            return; // already sent (a catch-up overlapped the live delivery)
        }
        self.last_id = event.id;
        self.pending.push_back(stored_event(event));
        if event.kind == TRADE_EVENT || event.kind == WATCHLIST_EVENT {
            self.refresh_followed().await;
        }
    }

    /// Queues the stored events after `last_id`.
    async fn catch_up(&mut self) -> Result<(), AppError> {
        let missed = events::after(&self.pool, self.user_id, self.last_id, CATCH_UP_LIMIT).await?;
        let changed_follows = missed.iter().any(|e| e.kind == TRADE_EVENT || e.kind == WATCHLIST_EVENT);
        for event in &missed {
            self.last_id = self.last_id.max(event.id);
            self.pending.push_back(stored_event(event));
        }
        if changed_follows {
            self.refresh_followed().await;
        }
        Ok(())
    }

    /// Re-reads which symbols the user holds or watches; prices flow only while there are some.
    async fn refresh_followed(&mut self) {
        match watchlist::followed_symbols(&self.pool, self.user_id).await {
            Ok(symbols) => self.followed = symbols.iter().filter_map(|s| Symbol::parse(s).ok()).collect(),
            Err(error) => tracing::warn!(%error, "cannot read followed symbols; keeping the previous ones"),
        }
        match (self.followed.is_empty(), self.prices.is_some()) {
            (true, _) => self.prices = None,
            (false, false) => {
                let mut interval = tokio::time::interval(PRICES_EVERY);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                self.prices = Some(interval);
            }
            (false, true) => {}
        }
    }

    async fn push_prices(&mut self) {
        let now = chrono::Utc::now();
        let mut quotes = Vec::with_capacity(self.followed.len());
        for symbol in &self.followed {
            if let Ok(quote) = self.market.quote(symbol, now).await {
                quotes.push(quote);
            }
        }
        if !quotes.is_empty() {
            self.pending.push_back(json_event(PRICES_EVENT, &PricesEvent { quotes }));
        }
    }
}

async fn next_tick(interval: &mut Option<Interval>) {
    match interval {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}

fn stored_event(event: &StoredEvent) -> Event {
    Event::default().id(event.id.to_string()).event(&event.kind).data(event.payload.to_string())
}

fn json_event(name: &str, data: &impl serde::Serialize) -> Event {
    Event::default().event(name).data(serde_json::to_string(data).unwrap_or_else(|_| "{}".into()))
}
