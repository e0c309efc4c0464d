//! One open page's live stream: the user's stored events (catching up from a `Last-Event-ID`),
//! then live ones from the hub, and the prices of what the user holds or watches. It ends when
//! the server shuts down, when its session ends (a logout, a password change or an account
//! deletion on any instance: [`Delivery::SignInChanged`]), or after about [`MAX_AGE`], when the
//! browser reconnects and its session is checked again.
//!
//! Ordering: a stream sends stored events strictly in id order and never skips one. While it is
//! `behind` (a catch-up page was full, the listener reconnected, or reading failed) it ignores
//! live deliveries and reads from the table instead, retrying after [`RETRY_AFTER`] on errors.

use crate::server::live::hub::Delivery;

use crate::server::live::hub::Subscription;

use super::events;
use crate::domain::Symbol;
use crate::server::accounts::session::SignInProof;
use crate::server::live::events::StoredEvent;
use crate::server::live::hub::Full;
use crate::server::live::Live;
use crate::server::market::Market;
use crate::server::platform::state::AppState;
use crate::server::watchlist::repo::items;
use crate::wire::live::{
    GameChangedEvent, PricesEvent, ReadyEvent, GAMES_EVENT, GAME_EVENT, PRICES_EVENT, READY_EVENT, TRADE_EVENT,
    WATCHLIST_EVENT,
};
use crate::wire::AppError;
use axum::response::sse::Event;
use futures_util::Stream;
use sqlx::PgPool;
use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, Interval, MissedTickBehavior};
use uuid::Uuid;

/// How often prices are pushed while the user holds or watches something.
pub const PRICES_EVERY: Duration = Duration::from_secs(5);
/// A stream's life (plus up to two minutes, so streams opened together do not all reconnect
/// together); the browser reconnects at once, with `Last-Event-ID`, and the session is checked.
pub const MAX_AGE: Duration = Duration::from_secs(10 * 60);
/// How long the browser waits before reconnecting a dropped stream.
pub const RECONNECT_AFTER: Duration = Duration::from_secs(2);
/// Stored events read per catch-up query.
const CATCH_UP_PAGE: i64 = 200;
/// How long a stream that could not read its missed events waits before trying again.
const RETRY_AFTER: Duration = Duration::from_secs(2);
/// How long a new stream waits for this instance's listener before going ahead.
const LISTENER_WAIT: Duration = Duration::from_secs(5);

struct LiveStream {
    user_id: Uuid,
    sign_in: SignInProof,
    pool: PgPool,
    market: Market,
    live: Arc<Live>,
    subscription: Subscription,
    /// The newest stored event this stream has sent (or that the page already had).
    last_id: i64,
    /// Stored events after `last_id` may exist that only the table has.
    behind: bool,
    retry_at: Option<Instant>,
    pending: VecDeque<Event>,
    followed: Vec<Symbol>,
    prices: Option<Interval>,
    /// The games the user organises or plays: their changes are passed on.
    games: HashSet<Uuid>,
    ends_at: Instant,
}

/// Opens a stream for `user_id`; `after` is the last stored event id the page has seen.
pub async fn open(
    state: &AppState,
    sign_in: SignInProof,
    user_id: Uuid,
    client: std::net::IpAddr,
    after: Option<i64>,
) -> Result<impl Stream<Item = Result<Event, Infallible>>, AppError> {
    // Subscribe before reading the table, so nothing committed in between is lost.
    let subscription = state.live.hub.subscribe(user_id, client).map_err(|full| {
        AppError::Conflict(match full {
            Full::User(limit) => format!("this account has {limit} live pages open already; close one"),
            Full::Client(limit) => format!("{limit} live pages are open from your network already; close one"),
            Full::Instance(_) => "this server holds all the live pages it can; updates resume in a moment".into(),
        })
    })?;
    if tokio::time::timeout(LISTENER_WAIT, state.live.listening()).await.is_err() {
        tracing::warn!("opening an event stream while this instance is not listening; it will catch up later");
    }
    let mut stream = LiveStream {
        user_id,
        sign_in,
        pool: state.pool.clone(),
        market: state.market.clone(),
        live: state.live.clone(),
        subscription,
        last_id: 0,
        behind: false,
        retry_at: None,
        pending: VecDeque::new(),
        followed: Vec::new(),
        prices: None,
        games: HashSet::new(),
        ends_at: Instant::now() + MAX_AGE + jitter(Duration::from_secs(120)),
    };
    let latest = events::latest_id(&stream.pool, user_id).await?;
    // An id beyond the newest one comes from before a database restore: start from now.
    stream.last_id = after.map_or(latest, |after| after.min(latest));
    stream.behind = stream.last_id < latest;
    // `ready` carries the id the stream starts from, so a reconnect during the catch-up resumes there.
    let ready = json_event(READY_EVENT, &ReadyEvent { last_id: stream.last_id })
        .id(stream.last_id.to_string())
        .retry(RECONNECT_AFTER);
    stream.pending.push_back(ready);
    stream.refresh_followed().await;
    stream.refresh_games().await;
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
            if self.behind && self.retry_at.is_none_or(|at| at <= Instant::now()) {
                self.catch_up().await;
                continue;
            }
            tokio::select! {
                () = self.live.shutdown_started() => return None,
                () = tokio::time::sleep_until(self.ends_at) => return None,
                delivery = self.subscription.recv() => {
                    if self.receive(delivery).await == Still::SignedOut {
                        return None;
                    }
                }
                () = next_tick(&mut self.prices) => self.push_prices().await,
                () = sleep_until_some(self.retry_at) => {}
            }
        }
    }

    async fn receive(&mut self, delivery: Delivery) -> Still {
        match delivery {
            // While behind, the table has this event too, after the ones still to read.
            Delivery::Event(_) if self.behind => {}
            Delivery::Event(event) => self.accept(&event).await,
            // A sign-in change made while the listener reconnected is not re-checked here: every
            // stream of the instance at once would be a burst of two queries each. The stream's
            // age ends it, and its reconnect checks the session.
            // Game changes may have been missed too: the pages reload every game's standings.
            Delivery::Resync => {
                self.behind = true;
                let games: Vec<Uuid> = self.games.iter().copied().collect();
                games.into_iter().for_each(|game_id| self.pending.push_back(game_event(game_id)));
            }
            Delivery::GameChanged(game_id) if self.games.contains(&game_id) => {
                self.pending.push_back(game_event(game_id));
            }
            Delivery::GameChanged(_) => {}
            Delivery::SignInChanged => return self.check_sign_in().await,
        }
        Still::SignedIn
    }

    /// Whether the session that opened this stream still holds; a check that cannot be made
    /// (the database is away) keeps the stream, and the stream's age ends it in time anyway.
    async fn check_sign_in(&self) -> Still {
        match self.sign_in.holds().await {
            Ok(true) => Still::SignedIn,
            Ok(false) => Still::SignedOut,
            Err(error) => {
                tracing::warn!(?error, "cannot check an event stream's sign-in; keeping it until its age ends it");
                Still::SignedIn
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
        if event.kind == GAMES_EVENT {
            self.refresh_games().await;
        }
    }

    /// Queues the next page of stored events after `last_id`; stays `behind` while pages come
    /// back full, and retries later when the database cannot be read.
    async fn catch_up(&mut self) {
        let missed = match events::after(&self.pool, self.user_id, self.last_id, CATCH_UP_PAGE).await {
            Ok(missed) => missed,
            Err(error) => {
                tracing::warn!(%error, "cannot read missed events; retrying");
                self.retry_at = Some(Instant::now() + RETRY_AFTER + jitter(RETRY_AFTER));
                return;
            }
        };
        self.retry_at = None;
        self.behind = i64::try_from(missed.len()).unwrap_or(i64::MAX) >= CATCH_UP_PAGE;
        let changed_follows = missed.iter().any(|e| e.kind == TRADE_EVENT || e.kind == WATCHLIST_EVENT);
        for event in &missed {
            self.last_id = event.id;
            self.pending.push_back(stored_event(event));
        }
        if changed_follows {
            self.refresh_followed().await;
        }
        if missed.iter().any(|e| e.kind == GAMES_EVENT) {
            self.refresh_games().await;
        }
    }

    /// Re-reads which games the user organises or plays.
    async fn refresh_games(&mut self) {
        match crate::server::games::repo::ids_of_user(&self.pool, self.user_id).await {
            Ok(games) => self.games = games.into_iter().collect(),
            Err(error) => tracing::warn!(%error, "cannot read the user's games; keeping the previous ones"),
        }
    }

    /// Re-reads which symbols the user holds or watches; prices flow only while there are some.
    async fn refresh_followed(&mut self) {
        match items::followed_symbols(&self.pool, self.user_id).await {
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

/// Whether a stream's session still holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Still {
    SignedIn,
    SignedOut,
}

fn game_event(game_id: Uuid) -> Event {
    json_event(GAME_EVENT, &GameChangedEvent { game_id })
}

async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// A duration between zero and `max`, different for each call (spreads out reconnects and retries).
fn jitter(max: Duration) -> Duration {
    let millis = u64::try_from(max.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(u64::try_from(Uuid::new_v4().as_u128() % u128::from(millis)).unwrap_or(0))
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
