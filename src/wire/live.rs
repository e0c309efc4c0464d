//! What the live event stream (`GET /events`, Server-Sent Events) carries, shared by the server
//! that writes it and the pages that read it.
//!
//! Events with an `id` (`notification`, `trade`, `watchlist`, `games`) are stored, so a page that
//! reconnects with `Last-Event-ID` receives every one it missed; `prices`, `game` and `ready` are
//! momentary.

use crate::domain::quote::Quote;
use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The stream's path.
pub const EVENTS_PATH: &str = "/events";

/// SSE event names.
pub const NOTIFICATION_EVENT: &str = "notification";

pub const TRADE_EVENT: &str = "trade";

/// The watchlist or its alerts changed (in another tab, or an alert fired); data is `{}`.
pub const WATCHLIST_EVENT: &str = "watchlist";

pub const PRICES_EVENT: &str = "prices";

/// A game the user organises or plays changed its standings (momentary): pages showing its
/// leaderboard reload it. Data is a [`GameChangedEvent`].
pub const GAME_EVENT: &str = "game";

/// The user joined or created a game (stored): the stream follows its changes from now on, and
/// the header's portfolio switcher reloads. Data is `{}`.
pub const GAMES_EVENT: &str = "games";

pub const READY_EVENT: &str = "ready";

/// Which game changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameChangedEvent {
    pub game_id: Uuid,
}

/// An order of the user's that executed (on any instance, from any tab, in any of their portfolios).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeEvent {
    /// The portfolio the trade was in: a page showing another of the user's portfolios ignores it.
    pub portfolio_id: Uuid,
    pub trade_id: Uuid,
    pub symbol: String,
    pub side: Side,
    pub quantity: i64,
    pub price: Money,
    pub executed_at: DateTime<Utc>,
}

/// Current quotes of the symbols the user holds or watches, every few seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricesEvent {
    pub quotes: Vec<Quote>,
}

/// The first event of every stream: the stored event id it starts from (its SSE id too). The
/// stored events after it follow; on a first connection, that is the newest one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyEvent {
    pub last_id: i64,
}
