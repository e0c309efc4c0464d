//! The `coach_marks` table: when each piece of advice last fired for a user.

use crate::domain::coach::Marks;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

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
/// ever, trades after `since`, the last trade's time — and the user's marks.
pub async fn after_trade(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    user_id: Uuid,
    since: DateTime<Utc>,
) -> Result<((i64, i64, Option<DateTime<Utc>>), Marks), sqlx::Error> {
    let row: AfterTrade = sqlx::query_as(
        "SELECT count(*) AS trades_total, count(*) FILTER (WHERE executed_at > $2) AS trades_today,
                max(executed_at) AS last_trade_at,
                ARRAY(SELECT advice_key FROM coach_marks WHERE user_id = $3 ORDER BY advice_key) AS keys,
                ARRAY(SELECT last_fired_at FROM coach_marks WHERE user_id = $3 ORDER BY advice_key) AS fired
         FROM trades WHERE portfolio_id = $1",
    )
    .bind(portfolio_id)
    .bind(since)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    let marks = row.keys.into_iter().zip(row.fired).collect();
    Ok(((row.trades_total, row.trades_today, row.last_trade_at), marks))
}

/// The marks of several users at once.
pub async fn of_users(conn: &mut PgConnection, user_ids: &[Uuid]) -> Result<HashMap<Uuid, Marks>, sqlx::Error> {
    let rows: Vec<(Uuid, String, DateTime<Utc>)> =
        sqlx::query_as("SELECT user_id, advice_key, last_fired_at FROM coach_marks WHERE user_id = ANY($1)")
            .bind(user_ids)
            .fetch_all(conn)
            .await?;
    let mut marks: HashMap<Uuid, Marks> = HashMap::new();
    for (user_id, key, fired) in rows {
        marks.entry(user_id).or_default().insert(key, fired);
    }
    Ok(marks)
}

/// Claims the right to fire `key` now: true when it never fired, or last fired before
/// `due_if_before` (`None`: only if it never fired). One statement, so two instances evaluating
/// the same user at once cannot both claim it.
pub async fn claim(
    conn: &mut PgConnection,
    user_id: Uuid,
    key: &str,
    now: DateTime<Utc>,
    due_if_before: Option<DateTime<Utc>>,
) -> Result<bool, sqlx::Error> {
    let claimed: Option<DateTime<Utc>> = sqlx::query_scalar(
        "INSERT INTO coach_marks (user_id, advice_key, last_fired_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, advice_key) DO UPDATE SET last_fired_at = EXCLUDED.last_fired_at
         WHERE $4::timestamptz IS NOT NULL AND coach_marks.last_fired_at < $4
         RETURNING last_fired_at",
    )
    .bind(user_id)
    .bind(key)
    .bind(now)
    .bind(due_if_before)
    .fetch_optional(conn)
    .await?;
    Ok(claimed.is_some())
}
