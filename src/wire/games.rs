//! Games as pages and clients see them.

use crate::domain::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A game and its rules, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub starting_cash: Money,
    /// "no commission", "$4.95 a trade", "0.25% of the amount".
    pub commission: String,
    pub max_position_percent: Option<u32>,
    pub min_share_price: Option<Money>,
    pub quick_sell_minutes: Option<u32>,
    pub allowed_kinds: Vec<String>,
    pub late_joining: bool,
    pub holdings_visible: bool,
    pub is_public: bool,
    /// "K7M-2QX"; only its organiser and players are shown it.
    pub join_code: String,
    /// Every rule in words, as the game page lists them: ("Commission", "$4.95 a trade").
    pub rules: Vec<(String, String)>,
}

/// A player's place in a game: the game, and the portfolio they trade it with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameSeat {
    pub game: GameView,
    pub portfolio_id: Uuid,
    /// False when they had joined before.
    pub new_player: bool,
}

/// One player's line on a game's leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    pub place: usize,
    pub username: String,
    pub value: Money,
    /// Since the last close (or since joining, for a player who joined after it); zero in final
    /// standings.
    pub day_change: Money,
    /// Since the player's own start, in percent.
    pub total_return: crate::domain::quote::Percent,
    pub trades: i64,
    pub joined_at: DateTime<Utc>,
    /// "AAPL × 10", one per holding: shown to the player themself and the organiser, and to every
    /// player when the game lets players see each other's holdings; empty otherwise.
    pub holdings: Vec<String>,
    /// The row of the player asking.
    pub is_you: bool,
}

/// A game's leaderboard, as its organiser, its players, or anyone for a public game sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub game: GameView,
    pub rows: Vec<LeaderboardRow>,
    /// When the board was valued: now, or when the game's final standings were written.
    pub valued_at: DateTime<Utc>,
    /// The game ended and these are its final standings, no longer moving with prices.
    pub is_final: bool,
    /// The reference row: the starting cash in SPY from the game's start; `None` before it.
    pub benchmark: Option<BenchmarkRow>,
    /// The viewer organises the game.
    pub organiser: bool,
    /// The portfolio the viewer plays the game with, if they joined.
    pub your_portfolio: Option<Uuid>,
    /// The link that joins the game (`…/games/join/K7M2QX`), for the invite and its QR code.
    pub invite_url: String,
}

/// A game of the learner's: one they organise, play, or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyGame {
    pub game: GameView,
    pub organiser: bool,
    /// The portfolio they play it with; `None` for a game they only organise.
    pub portfolio_id: Option<Uuid>,
}

/// One player as the game's teacher sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerDetail {
    /// The player's game portfolio: what the teacher's actions name.
    pub portfolio_id: Uuid,
    pub username: String,
    pub value: Money,
    pub cash: Money,
    pub total_return: crate::domain::quote::Percent,
    /// "AAPL × 10", one per holding.
    pub holdings: Vec<String>,
    pub trades: i64,
    pub last_trade_at: Option<DateTime<Utc>>,
    /// The coach's patterns seen in the portfolio now: "concentrated", "not traded yet"…
    pub patterns: Vec<String>,
    /// Orders the game's rules refused, and the latest refusal's message.
    pub refusals: i64,
    pub last_refusal: Option<String>,
    /// The coach's notes to the player about this game's portfolio, and the latest few titles.
    pub coach_notes: i64,
    pub latest_coach_notes: Vec<String>,
}

/// Someone who runs a game: its creator, or a co-organiser the creator added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organiser {
    pub user_id: Uuid,
    pub username: String,
    pub is_creator: bool,
}

/// The teacher's view of a game: the class summary and every player, in the order they joined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassView {
    pub summary: crate::domain::coach::class_summary::ClassSummary,
    pub players: Vec<PlayerDetail>,
    /// The creator first, then the co-organisers.
    pub organisers: Vec<Organiser>,
    /// The viewer created the game: they may add and remove co-organisers.
    pub you_created: bool,
}

/// What a game's starting cash would be worth in the benchmark fund, bought at the game's start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchmarkRow {
    pub symbol: String,
    pub value: Money,
    pub total_return: crate::domain::quote::Percent,
}

/// One player's value over a finished game against the game's benchmark, for its chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueComparison {
    pub place: usize,
    pub username: String,
    /// Their game portfolio's value from their join to the end (the final value), oldest first.
    pub player: Vec<crate::domain::quote::PricePoint>,
    /// The game's starting cash in the benchmark from the game's start to its end; empty when
    /// the benchmark had no prices.
    pub benchmark: Vec<crate::domain::quote::PricePoint>,
    pub benchmark_symbol: String,
}
