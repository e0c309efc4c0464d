//! The `coach_marks` table: when each piece of advice last fired, per coaching track. A track is
//! a user's personal portfolios (all of them, across resets) or one of their game portfolios.

use crate::domain::coach::Marks;
use crate::domain::portfolio::PortfolioKind;
use crate::server::portfolio::OwnedPortfolio;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Whose advice it is: a user, and the game portfolio it is about (`None`: their personal one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Track {
    pub user_id: Uuid,
    pub game_portfolio: Option<Uuid>,
}

impl Track {
    /// The personal track: the welcome, and advice about the personal portfolio.
    pub fn personal(user_id: Uuid) -> Track {
        Track { user_id, game_portfolio: None }
    }

    /// The track of a portfolio of `kind`.
    pub fn of(user_id: Uuid, portfolio_id: Uuid, kind: PortfolioKind) -> Track {
        match kind {
            PortfolioKind::Personal => Track::personal(user_id),
            PortfolioKind::Game => Track { user_id, game_portfolio: Some(portfolio_id) },
        }
    }

    pub fn of_owned(portfolio: OwnedPortfolio) -> Track {
        Track::of(portfolio.user_id(), portfolio.id(), portfolio.kind())
    }
}

#[derive(sqlx::FromRow)]
struct AfterTrade {
    trades_total: i64,
    trades_today: i64,
    last_trade_at: Option<DateTime<Utc>>,
    /// The marks, as two arrays in the same (key) order.
    keys: Vec<String>,
    fired: Vec<DateTime<Utc>>,
}

/// What the coach reads after a trade, in one statement: the portfolio's activity — trades
/// ever, trades after `since`, the last trade's time — and the marks of its track.
pub async fn after_trade(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    track: Track,
    since: DateTime<Utc>,
) -> Result<((i64, i64, Option<DateTime<Utc>>), Marks), sqlx::Error> {
    let row: AfterTrade = sqlx::query_as(
        "SELECT count(*) AS trades_total, count(*) FILTER (WHERE executed_at > $2) AS trades_today,
                max(executed_at) AS last_trade_at,
                ARRAY(SELECT advice_key FROM coach_marks
                      WHERE user_id = $3 AND portfolio_id IS NOT DISTINCT FROM $4 ORDER BY advice_key) AS keys,
                ARRAY(SELECT last_fired_at FROM coach_marks
                      WHERE user_id = $3 AND portfolio_id IS NOT DISTINCT FROM $4 ORDER BY advice_key) AS fired
         FROM trades WHERE portfolio_id = $1",
    )
    .bind(portfolio_id)
    .bind(since)
    .bind(track.user_id)
    .bind(track.game_portfolio)
    .fetch_one(conn)
    .await?;
    let marks = row.keys.into_iter().zip(row.fired).collect();
    Ok(((row.trades_total, row.trades_today, row.last_trade_at), marks))
}

/// The marks of every track of several users at once.
pub async fn of_users(conn: &mut PgConnection, user_ids: &[Uuid]) -> Result<HashMap<Track, Marks>, sqlx::Error> {
    let rows: Vec<(Uuid, Option<Uuid>, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT user_id, portfolio_id, advice_key, last_fired_at FROM coach_marks WHERE user_id = ANY($1)",
    )
    .bind(user_ids)
    .fetch_all(conn)
    .await?;
    let mut marks: HashMap<Track, Marks> = HashMap::new();
    for (user_id, game_portfolio, key, fired) in rows {
        marks.entry(Track { user_id, game_portfolio }).or_default().insert(key, fired);
    }
    Ok(marks)
}

/// Claims the right to fire `key` on `track` now: true when it never fired there, or last fired
/// before `due_if_before` (`None`: only if it never fired). One statement, so two instances
/// evaluating the same portfolio at once cannot both claim it.
pub async fn claim(
    conn: &mut PgConnection,
    track: Track,
    key: &str,
    now: DateTime<Utc>,
    due_if_before: Option<DateTime<Utc>>,
) -> Result<bool, sqlx::Error> {
    let claimed: Option<DateTime<Utc>> = sqlx::query_scalar(
        "INSERT INTO coach_marks (user_id, portfolio_id, advice_key, last_fired_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT coach_marks_track_advice_key DO UPDATE SET last_fired_at = EXCLUDED.last_fired_at
         WHERE $5::timestamptz IS NOT NULL AND coach_marks.last_fired_at < $5
         RETURNING last_fired_at",
    )
    .bind(track.user_id)
    .bind(track.game_portfolio)
    .bind(key)
    .bind(now)
    .bind(due_if_before)
    .fetch_optional(conn)
    .await?;
    Ok(claimed.is_some())
}
