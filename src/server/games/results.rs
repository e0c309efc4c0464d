//! A game's final standings: once a game ends, a background job (on every instance; one writes
//! each game) values every player one last time, writes the ranking to `game_results` and marks
//! the game final. From then on the leaderboard is those rows — it no longer moves with prices —
//! and the game page names the winner.

use super::leaderboard;
use super::repo::{self, GameRow};
use crate::server::live;
use crate::server::market::Market;
use crate::server::platform::db;
use crate::wire::games::LeaderboardRow;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How often each instance looks for games that ended.
pub const FREEZE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Writes the final standings of every game that ended by `now` and has none yet; returns how
/// many games it froze.
pub async fn freeze_ended(pool: &PgPool, market: &Market, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut frozen = 0;
    loop {
        let mut tx = db::begin(pool).await?;
        let Some(game) = repo::next_to_freeze(&mut tx, now).await? else { break };
        // Trading ended at `ends_at`: the holdings are final; each is valued at its quote now,
        // the last close when the game ends after the session, as a class game does.
        let standings = leaderboard::ranked(&mut tx, market, &game, now).await?;
        for (player, row) in &standings {
            insert(&mut tx, game.id, *player, row).await?;
        }
        let benchmark_end = super::benchmark::price_now(market, now).await;
        sqlx::query("UPDATE games SET final_at = $2, benchmark_end_price = $3 WHERE id = $1")
            .bind(game.id)
            .bind(now)
            .bind(benchmark_end)
            .execute(&mut *tx)
            .await?;
        live::publish_game_change(&mut *tx, game.id).await?;
        tx.commit().await?;
        tracing::info!(game = %game.id, players = standings.len(), "wrote a game's final standings");
        frozen += 1;
    }
    Ok(frozen)
}

async fn insert(conn: &mut PgConnection, game_id: Uuid, player: Uuid, row: &LeaderboardRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO game_results (game_id, user_id, place, username, value, total_return, trades, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(game_id)
    .bind(player)
    .bind(i32::try_from(row.place).unwrap_or(i32::MAX))
    .bind(&row.username)
    .bind(row.value.amount())
    .bind(row.total_return.value())
    .bind(row.trades)
    .bind(row.joined_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    user_id: Uuid,
    place: i32,
    username: String,
    value: Decimal,
    total_return: Decimal,
    trades: i64,
    joined_at: DateTime<Utc>,
}

/// The final standings of a game that is final, in order; `viewer`'s row says it is theirs.
pub async fn of_game(
    conn: &mut PgConnection,
    game: &GameRow,
    viewer: Uuid,
) -> Result<Vec<LeaderboardRow>, sqlx::Error> {
    let rows: Vec<ResultRow> = sqlx::query_as(
        "SELECT user_id, place, username, value, total_return, trades, joined_at
         FROM game_results WHERE game_id = $1 ORDER BY place, joined_at",
    )
    .bind(game.id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| LeaderboardRow {
            place: usize::try_from(row.place).unwrap_or(usize::MAX),
            username: row.username,
            value: crate::domain::Money::from_decimal(row.value),
            day_change: crate::domain::Money::ZERO,
            // Stored with its two decimals: x% of 100 is x, exactly.
            total_return: crate::domain::quote::Percent::of(row.total_return, Decimal::ONE_HUNDRED),
            trades: row.trades,
            joined_at: row.joined_at,
            holdings: Vec::new(),
            is_you: row.user_id == viewer,
        })
        .collect())
}
