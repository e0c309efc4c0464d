//! The `games`, `game_players` and `game_organisers` tables.

use crate::domain::game::{Commission, GameRules, JoinCode, Window};
use crate::domain::{Money, Symbol};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// A game as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GameRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub created_by: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub starting_cash: Decimal,
    pub commission_kind: String,
    pub commission_value: Decimal,
    pub max_position_percent: Option<i32>,
    pub min_share_price: Option<Decimal>,
    pub quick_sell_minutes: Option<i32>,
    pub allowed_kinds: Vec<String>,
    pub late_joining: bool,
    pub holdings_visible: bool,
    pub is_public: bool,
    pub join_code: String,
    /// When the final standings were written (the game ended); `None` before.
    pub final_at: Option<DateTime<Utc>>,
    /// SPY at the start (found once) and at the end (written with the final standings).
    pub benchmark_start_price: Option<Decimal>,
    pub benchmark_end_price: Option<Decimal>,
}

const COLUMNS: &str = "g.id, g.name, g.description, g.created_by, g.starts_at, g.ends_at, g.starting_cash,
    g.commission_kind, g.commission_value, g.max_position_percent, g.min_share_price, g.quick_sell_minutes,
    g.allowed_kinds, g.late_joining, g.holdings_visible, g.is_public, g.join_code, g.final_at,
    g.benchmark_start_price, g.benchmark_end_price";

impl GameRow {
    pub fn window(&self) -> Window {
        Window { starts_at: self.starts_at, ends_at: self.ends_at }
    }

    pub fn rules(&self) -> GameRules {
        let commission = match self.commission_kind.as_str() {
            "per_trade" => Commission::PerTrade(Money::from_decimal(self.commission_value)),
            "per_share" => Commission::PerShare(self.commission_value),
            "percent" => Commission::Percent(self.commission_value),
            _ => Commission::None,
        };
        GameRules {
            starting_cash: Money::from_decimal(self.starting_cash),
            commission,
            max_position_percent: self.max_position_percent.and_then(|p| u32::try_from(p).ok()),
            min_share_price: self.min_share_price.map(Money::from_decimal),
            quick_sell_minutes: self.quick_sell_minutes.and_then(|m| u32::try_from(m).ok()),
            allowed_kinds: self.allowed_kinds.clone(),
            late_joining: self.late_joining,
            holdings_visible: self.holdings_visible,
        }
    }
}

/// A game to store.
pub struct NewGame<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub window: Window,
    pub rules: &'a GameRules,
    pub is_public: bool,
}

fn commission_columns(commission: Commission) -> (&'static str, Decimal) {
    match commission {
        Commission::None => ("none", Decimal::ZERO),
        Commission::PerTrade(fee) => ("per_trade", fee.amount()),
        Commission::PerShare(rate) => ("per_share", rate),
        Commission::Percent(percent) => ("percent", percent),
    }
}

/// Stores a game under `code`; `None` when another game has the code already.
pub async fn insert(
    conn: &mut PgConnection,
    created_by: Uuid,
    game: &NewGame<'_>,
    code: &JoinCode,
) -> Result<Option<GameRow>, sqlx::Error> {
    let (commission_kind, commission_value) = commission_columns(game.rules.commission);
    let rules = game.rules;
    sqlx::query_as(&format!(
        "INSERT INTO games AS g (name, description, created_by, starts_at, ends_at, starting_cash, commission_kind,
                                 commission_value, max_position_percent, min_share_price, quick_sell_minutes,
                                 allowed_kinds, late_joining, holdings_visible, is_public, join_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (join_code) DO NOTHING
         RETURNING {COLUMNS}"
    ))
    .bind(game.name)
    .bind(game.description)
    .bind(created_by)
    .bind(game.window.starts_at)
    .bind(game.window.ends_at)
    .bind(rules.starting_cash.amount())
    .bind(commission_kind)
    .bind(commission_value)
    .bind(rules.max_position_percent.and_then(|p| i32::try_from(p).ok()))
    .bind(rules.min_share_price.map(Money::amount))
    .bind(rules.quick_sell_minutes.and_then(|m| i32::try_from(m).ok()))
    .bind(&rules.allowed_kinds)
    .bind(rules.late_joining)
    .bind(rules.holdings_visible)
    .bind(game.is_public)
    .bind(code.as_str())
    .fetch_optional(conn)
    .await
}

/// A game of a user's, and the portfolio they play it with (none for a game they only organise).
#[derive(sqlx::FromRow)]
pub struct MyGameRow {
    #[sqlx(flatten)]
    pub game: GameRow,
    pub portfolio_id: Option<Uuid>,
    /// They created it or co-organise it.
    pub organiser: bool,
}

/// Whether `user_id` co-organises `game_id` (its creator is on the game's row).
const CO_ORGANISES: &str = "EXISTS (SELECT 1 FROM game_organisers o WHERE o.game_id = g.id AND o.user_id = $1)";

/// The games `user_id` organises (created or co-organises) or plays, the latest start first.
pub async fn of_user(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<MyGameRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, gp.portfolio_id, (g.created_by = $1 OR {CO_ORGANISES}) AS organiser FROM games g
         LEFT JOIN game_players gp ON gp.game_id = g.id AND gp.user_id = $1
         WHERE g.created_by = $1 OR gp.user_id = $1 OR {CO_ORGANISES}
         ORDER BY g.starts_at DESC, g.id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The ids of the games `user_id` organises or plays.
pub async fn ids_of_user<'c>(conn: impl sqlx::PgExecutor<'c>, user_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM games WHERE created_by = $1 UNION SELECT game_id FROM game_players WHERE user_id = $1
         UNION SELECT game_id FROM game_organisers WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Public games that have not ended, the soonest start first, at most `limit`.
pub async fn public(conn: &mut PgConnection, now: DateTime<Utc>, limit: i64) -> Result<Vec<GameRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM games g WHERE g.is_public AND g.ends_at > $1 ORDER BY g.starts_at, g.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The game `id`.
pub async fn by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<GameRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM games g WHERE g.id = $1")).bind(id).fetch_optional(conn).await
}

/// The game with this join code, locked against a change while a player joins.
pub async fn by_code_for_join(conn: &mut PgConnection, code: &JoinCode) -> Result<Option<GameRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM games g WHERE g.join_code = $1 FOR SHARE"))
        .bind(code.as_str())
        .fetch_optional(conn)
        .await
}

/// The game portfolio `portfolio_id` plays in, if it is one.
pub async fn of_portfolio(conn: &mut PgConnection, portfolio_id: Uuid) -> Result<Option<GameRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM games g JOIN game_players p ON p.game_id = g.id WHERE p.portfolio_id = $1"
    ))
    .bind(portfolio_id)
    .fetch_optional(conn)
    .await
}

/// The portfolio `user_id` plays `game_id` with, if they joined it.
pub async fn player_portfolio(
    conn: &mut PgConnection,
    game_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT portfolio_id FROM game_players WHERE game_id = $1 AND user_id = $2")
        .bind(game_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Records `user_id` as a player of `game_id` with `portfolio_id`; false when they already were.
pub async fn insert_player(
    conn: &mut PgConnection,
    game_id: Uuid,
    user_id: Uuid,
    portfolio_id: Uuid,
    joined_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO game_players (game_id, user_id, portfolio_id, joined_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (game_id, user_id) DO NOTHING",
    )
    .bind(game_id)
    .bind(user_id)
    .bind(portfolio_id)
    .bind(joined_at)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// When the portfolio last bought `symbol` (the quick-sell rule's clock).
pub async fn last_buy_at(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    symbol: &Symbol,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar("SELECT max(executed_at) FROM trades WHERE portfolio_id = $1 AND symbol = $2 AND side = 'buy'")
        .bind(portfolio_id)
        .bind(symbol.as_str())
        .fetch_one(conn)
        .await
}

/// Takes the player of `portfolio_id` off game `game_id`; their user id, if they played it.
pub async fn remove_player(
    conn: &mut PgConnection,
    game_id: Uuid,
    portfolio_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM game_players WHERE game_id = $1 AND portfolio_id = $2 RETURNING user_id")
        .bind(game_id)
        .bind(portfolio_id)
        .fetch_optional(conn)
        .await
}

/// The user who plays game `game_id` with `portfolio_id`, if any.
pub async fn player_of_portfolio(
    conn: &mut PgConnection,
    game_id: Uuid,
    portfolio_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM game_players WHERE game_id = $1 AND portfolio_id = $2")
        .bind(game_id)
        .bind(portfolio_id)
        .fetch_optional(conn)
        .await
}

/// Records an organiser's cash adjustment and its reason.
pub async fn record_adjustment(
    conn: &mut PgConnection,
    game_id: Uuid,
    portfolio_id: Uuid,
    amount: Money,
    reason: &str,
    made_by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO game_cash_adjustments (game_id, portfolio_id, amount, reason, made_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(game_id)
    .bind(portfolio_id)
    .bind(amount.amount())
    .bind(reason)
    .bind(made_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The next ended game (by `now`) whose standings are not written yet, locked for writing them;
/// a game another instance is writing is skipped.
pub async fn next_to_freeze(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Option<GameRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM games g WHERE g.final_at IS NULL AND g.ends_at <= $1
         ORDER BY g.ends_at, g.id LIMIT 1 FOR UPDATE SKIP LOCKED"
    ))
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Records that the game of `portfolio_id` refused an order with `message` (nothing when the
/// portfolio plays no game).
pub async fn record_refusal<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    portfolio_id: Uuid,
    message: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO game_refusals (game_id, portfolio_id, message)
         SELECT game_id, portfolio_id, $2 FROM game_players WHERE portfolio_id = $1",
    )
    .bind(portfolio_id)
    .bind(message)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `user_id` co-organises `game_id`.
pub async fn is_co_organiser(conn: &mut PgConnection, game_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM game_organisers WHERE game_id = $1 AND user_id = $2)")
        .bind(game_id)
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// A user who could co-organise a game: found by username (any case), and not a guest.
#[derive(sqlx::FromRow)]
pub struct Candidate {
    pub id: Uuid,
    pub username: String,
    pub is_guest: bool,
}

/// The user named `username`, in any case.
pub async fn user_by_username(conn: &mut PgConnection, username: &str) -> Result<Option<Candidate>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, provider = 'guest' AS is_guest FROM users WHERE lower(username) = lower($1)")
        .bind(username)
        .fetch_optional(conn)
        .await
}

/// Adds `user_id` as a co-organiser of `game_id`; false when they already were one.
pub async fn insert_organiser(conn: &mut PgConnection, game_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO game_organisers (game_id, user_id) VALUES ($1, $2) ON CONFLICT (game_id, user_id) DO NOTHING",
    )
    .bind(game_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Takes `user_id` off the co-organisers of `game_id`; false when they were not one.
pub async fn delete_organiser(conn: &mut PgConnection, game_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM game_organisers WHERE game_id = $1 AND user_id = $2")
        .bind(game_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The game's organisers, its creator first, then co-organisers in the order they were added.
pub async fn organisers(conn: &mut PgConnection, game: &GameRow) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username
         FROM (SELECT $2::uuid AS user_id, NULL::timestamptz AS added_at
               UNION ALL SELECT user_id, added_at FROM game_organisers WHERE game_id = $1) o
         JOIN users u ON u.id = o.user_id
         ORDER BY o.added_at NULLS FIRST, u.username",
    )
    .bind(game.id)
    .bind(game.created_by)
    .fetch_all(conn)
    .await
}

/// Moves the end of game `game_id` to `ends_at`, unless it ended by `now` (or its standings are
/// being written: the update waits for that and then finds them written). False when it had.
pub async fn set_end(
    conn: &mut PgConnection,
    game_id: Uuid,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE games SET ends_at = $2 WHERE id = $1 AND final_at IS NULL AND ends_at > $3")
        .bind(game_id)
        .bind(ends_at)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}
