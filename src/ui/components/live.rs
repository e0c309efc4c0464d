//! The live event stream: one `EventSource` on [`EVENTS_PATH`] per signed-in browser tab, and what
//! it tells the pages — the unread count, toasts, trades and prices — as context.
//!
//! The stream only exists in the browser; on the server the context holds its starting values, so
//! pages render the same HTML on both sides. `EventSource` reconnects by itself (the server asks
//! for 2 s) and sends `Last-Event-ID`, so the server replays the stored events a tab missed.

use crate::api::notifications::unread_count;
use crate::domain::quote::Quote;
use crate::wire::live::{PricesEvent, TradeEvent};
use crate::wire::notifications::NotificationView;
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::collections::HashMap;
use std::time::Duration;

/// Toasts on screen at once; a new one pushes the oldest out.
pub const MAX_TOASTS: usize = 3;
/// How long a toast stays up unless the pointer or the keyboard focus is on it.
pub const TOAST_LIFETIME: Duration = Duration::from_secs(8);
/// How often pages refresh while the stream is down.
pub const POLL_EVERY: Duration = Duration::from_secs(5);
/// When the browser gives up on the stream (an error status, not a dropped connection), we open a
/// new one after this long.
pub const REOPEN_AFTER: Duration = Duration::from_secs(10);

/// A notification on screen as a toast; `key` tells toasts of the same notification apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub key: u64,
    pub notification: NotificationView,
}

/// The server's unread count plus the notifications received since it was fetched. Holds only
/// plain values and the context's own signals, so a view that outlives the `<Transition/>` run it
/// came from can still read it.
#[derive(Clone, Copy)]
pub struct UnreadCount {
    fetched: i64,
    live: LiveEvents,
}

impl UnreadCount {
    pub fn get(self) -> i64 {
        self.fetched + self.live.unread_since_fetch.get()
    }
}

/// What the live stream has said so far; `Copy`, from [`use_live_events`].
#[derive(Clone, Copy)]
pub struct LiveEvents {
    connected: RwSignal<bool>,
    /// The server's count, fetched on each navigation, on `ready` and after every notification.
    unread: Resource<Result<i64, AppError>>,
    /// Notifications received since the count was last fetched (shown at once; the refetch that
    /// each of them starts then gives the exact figure).
    unread_since_fetch: RwSignal<i64>,
    notifications: RwSignal<u64>,
    trades: RwSignal<u64>,
    watchlist: RwSignal<u64>,
    games: RwSignal<u64>,
    boards: RwSignal<u64>,
    prices: RwSignal<u64>,
    quotes: RwSignal<HashMap<String, Quote>>,
    toasts: RwSignal<Vec<Toast>>,
    /// Toasts under the pointer or holding the focus: they stay until left.
    held: RwSignal<Vec<u64>>,
    next_toast: StoredValue<u64>,
}

/// Creates the live context and, in the browser, keeps one stream open while someone is signed
/// in. Call once, inside the router, after `provide_viewer`.
pub fn provide_live_events() -> LiveEvents {
    let location = use_location();
    let unread_since_fetch = RwSignal::new(0);
    let unread = Resource::new(
        move || location.pathname.get(),
        move |_| async move {
            let count = unread_count().await;
            unread_since_fetch.set(0);
            count
        },
    );
    let live = LiveEvents {
        connected: RwSignal::new(false),
        unread,
        unread_since_fetch,
        notifications: RwSignal::new(0),
        trades: RwSignal::new(0),
        watchlist: RwSignal::new(0),
        games: RwSignal::new(0),
        boards: RwSignal::new(0),
        prices: RwSignal::new(0),
        quotes: RwSignal::new(HashMap::new()),
        toasts: RwSignal::new(Vec::new()),
        held: RwSignal::new(Vec::new()),
        next_toast: StoredValue::new(0),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    browser::keep_stream_open(live);
    live
}

pub fn use_live_events() -> LiveEvents {
    expect_context::<LiveEvents>()
}

impl LiveEvents {
    /// Whether the stream is open (between its `ready` event and an error).
    pub fn connected(self) -> bool {
        self.connected.get()
    }

    /// The unread count, for a `<Suspense/>` or `<Transition/>`: waits for the server's figure;
    /// [`UnreadCount::get`] adds the notifications that arrived since.
    pub async fn unread(self) -> UnreadCount {
        UnreadCount { fetched: self.unread.await.unwrap_or(0), live: self }
    }

    /// Fetches the unread count again (after marking notifications read).
    pub fn refresh_unread(self) {
        self.unread.refetch();
    }

    /// Bumped on every `notification` event: read it to refetch on new notifications.
    pub fn notifications_version(self) -> u64 {
        self.notifications.get()
    }

    /// Bumped on every `trade` event (an order of this user executed, from any tab).
    pub fn trades_version(self) -> u64 {
        self.trades.get()
    }

    /// Bumped on every `watchlist` event (the list or its alerts changed, in any tab, or an
    /// alert fired).
    pub fn watchlist_version(self) -> u64 {
        self.watchlist.get()
    }

    /// Bumped on every `games` event: the user's games changed (they joined, created, were
    /// added to organise, or were removed from one). What lists their games or portfolios reloads.
    pub fn games_version(self) -> u64 {
        self.games.get()
    }

    /// Bumped on every `game` event (the standings of a game the user organises or plays
    /// changed: a fill, a join, a new end, the final standings) and every `games` event. A page
    /// showing one game reloads on it: a learner is in a handful of games, and the server gathers
    /// each game's changes to a few a second. The portfolio bar does not, which halves what one
    /// fill costs a class of open pages.
    pub fn boards_version(self) -> u64 {
        self.boards.get()
    }

    /// Bumped on every `prices` event.
    pub fn prices_version(self) -> u64 {
        self.prices.get()
    }

    /// The latest streamed quote of `symbol`, if the stream sent one.
    pub fn quote(self, symbol: &str) -> Option<Quote> {
        self.quotes.with(|quotes| quotes.get(symbol).cloned())
    }

    pub fn toasts(self) -> Vec<Toast> {
        self.toasts.get()
    }

    pub fn dismiss_toast(self, key: u64) {
        self.toasts.update(|toasts| toasts.retain(|toast| toast.key != key));
        self.hold_toast(key, false);
    }

    /// Keeps a toast up while the pointer or focus is on it (`true`), or lets it go (`false`).
    pub fn hold_toast(self, key: u64, hold: bool) {
        self.held.update(|held| {
            held.retain(|k| *k != key);
            if hold {
                held.push(key);
            }
        });
    }

    fn is_held(self, key: u64) -> bool {
        self.held.with_untracked(|held| held.contains(&key))
    }

    /// A notification arrived: count it, tell the pages, show it.
    pub fn receive_notification(self, notification: NotificationView) {
        if !notification.read {
            self.unread_since_fetch.update(|n| *n += 1);
        }
        self.unread.refetch();
        self.notifications.update(|v| *v += 1);
        let replayed = self.toasts.with_untracked(|t| t.iter().any(|t| t.notification.id == notification.id));
        if !replayed {
            let key = self.next_toast.get_value();
            self.next_toast.set_value(key + 1);
            self.toasts.update(|toasts| {
                toasts.push(Toast { key, notification });
                let extra = toasts.len().saturating_sub(MAX_TOASTS);
                toasts.drain(..extra);
            });
            self.expire_toast_later(key);
        }
    }

    fn expire_toast_later(self, key: u64) {
        set_timeout(
            move || {
                if self.is_held(key) {
                    self.expire_toast_later(key);
                } else {
                    self.dismiss_toast(key);
                }
            },
            TOAST_LIFETIME,
        );
    }

    pub fn receive_trade(self, _trade: TradeEvent) {
        self.trades.update(|v| *v += 1);
    }

    pub fn receive_watchlist_change(self) {
        self.watchlist.update(|v| *v += 1);
    }

    pub fn receive_game_change(self) {
        self.boards.update(|v| *v += 1);
    }

    pub fn receive_games_change(self) {
        self.games.update(|v| *v += 1);
        self.boards.update(|v| *v += 1);
    }

    pub fn receive_prices(self, prices: PricesEvent) {
        self.quotes.update(|quotes| {
            for quote in prices.quotes {
                quotes.insert(quote.symbol.as_str().to_owned(), quote);
            }
        });
        self.prices.update(|v| *v += 1);
    }

    /// The stream (re)opened: events from now on are live, and the count may have moved meanwhile.
    pub fn receive_ready(self) {
        self.connected.set(true);
        self.unread.refetch();
    }

    pub fn lost_connection(self) {
        self.connected.set(false);
    }
}

/// Calls `refetch` every [`POLL_EVERY`] while the live stream is not connected (browser only):
/// the fallback for pages that otherwise refresh on live events.
pub fn poll_while_offline(live: LiveEvents, refetch: impl Fn() + Clone + 'static) {
    Effect::new(move |_| {
        if !live.connected() {
            if let Ok(handle) = set_interval_with_handle(refetch.clone(), POLL_EVERY) {
                on_cleanup(move || handle.clear());
            }
        }
    });
}

/// The `EventSource` itself; compiled into the browser build only.
#[cfg(feature = "hydrate")]
mod browser {
    use super::{LiveEvents, REOPEN_AFTER};
    use crate::ui::components::viewer::use_viewer;
    use crate::wire::live::{
        ReadyEvent, EVENTS_PATH, GAMES_EVENT, GAME_EVENT, NOTIFICATION_EVENT, PRICES_EVENT, READY_EVENT, TRADE_EVENT,
        WATCHLIST_EVENT,
    };
    use leptos::prelude::*;
    use serde::de::DeserializeOwned;
    use uuid::Uuid;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, EventSource, MessageEvent};

    /// An open stream with its listeners; dropping it closes the stream.
    struct Stream {
        source: EventSource,
        _listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    impl Drop for Stream {
        fn drop(&mut self) {
            // Closed before the listeners are freed, so none of them runs afterwards.
            self.source.close();
        }
    }

    /// Whose stream is open, and which attempt it is.
    struct Open {
        user: Option<Uuid>,
        attempt: u32,
        _stream: Option<Stream>,
    }

    /// Opens a stream when someone signs in, closes it when they sign out (or another user signs
    /// in), and opens a new one [`REOPEN_AFTER`] the browser gives up on one.
    pub fn keep_stream_open(live: LiveEvents) {
        let viewer = use_viewer();
        let reopen = RwSignal::new(0u32);
        Effect::new(move |previous: Option<Open>| {
            let attempt = reopen.get();
            let user = match viewer.get() {
                Some(Ok(Some(viewer))) => Some(viewer.id),
                Some(Ok(None)) => None,
                // Loading, or the check failed for a moment: keep what was there.
                _ => previous.as_ref().and_then(|open| open.user),
            };
            if let Some(open) = previous {
                if open.user == user && open.attempt == attempt {
                    return open;
                }
            }
            live.lost_connection();
            let on_closed = move || set_timeout(move || reopen.update(|n| *n += 1), REOPEN_AFTER);
            Open { user, attempt, _stream: user.and_then(|_| open(live, on_closed)) }
        });
    }

    fn open(live: LiveEvents, on_closed: impl Fn() + 'static) -> Option<Stream> {
        let source = EventSource::new(EVENTS_PATH).ok()?;
        let listeners = vec![
            listen(&source, NOTIFICATION_EVENT, move |n| live.receive_notification(n)),
            listen(&source, TRADE_EVENT, move |t| live.receive_trade(t)),
            listen(&source, PRICES_EVENT, move |p| live.receive_prices(p)),
            listen(&source, WATCHLIST_EVENT, move |_: serde::de::IgnoredAny| live.receive_watchlist_change()),
            listen(&source, GAME_EVENT, move |_: serde::de::IgnoredAny| live.receive_game_change()),
            listen(&source, GAMES_EVENT, move |_: serde::de::IgnoredAny| live.receive_games_change()),
            listen(&source, READY_EVENT, move |_: ReadyEvent| live.receive_ready()),
        ];
        let closed = source.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            live.lost_connection();
            // CONNECTING means the browser retries by itself; CLOSED means it gave up.
            if closed.ready_state() == EventSource::CLOSED {
                on_closed();
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Stream { source, _listeners: listeners, _on_error: on_error })
    }

    /// Calls `handle` with the JSON payload of each `name` event; payloads that do not parse are
    /// skipped (an older page talking to a newer server).
    fn listen<T: DeserializeOwned + 'static>(
        source: &EventSource,
        name: &str,
        handle: impl Fn(T) + 'static,
    ) -> Closure<dyn FnMut(MessageEvent)> {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(payload) = event.data().as_string().and_then(|data| serde_json::from_str(&data).ok()) {
                handle(payload);
            }
        });
        // Adding a listener to a live EventSource does not fail.
        let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        listener
    }
}
