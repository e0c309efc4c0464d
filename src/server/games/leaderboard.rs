//! A game's leaderboard: every player's value now — cash plus holdings at current prices, one
//! quote per symbol for the whole board — ranked by the domain's rule (return since their own
//! start, ties to the earlier join).

use super::repo::GameRow;
use crate::domain::game::{rank, Standing};
use crate::domain::Money;
use crate::server::market::{Market, PriceBook};
use crate::server::portfolio::repo::holdings;
use crate::wire::games::LeaderboardRow;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PlayerRow {
    user_id: Uuid,
    username: String,
    portfolio_id: Uuid,
    joined_at: DateTime<Utc>,
    starting_cash: Decimal,
    cash_balance: Decimal,
    trades: i64,
    day_start_value: Option<Decimal>,
}

/// The game's players in leaderboard order, valued at `now`, as `viewer` may see them: their own
/// row says it is theirs, and other players' holdings show only when `all_visible` (the viewer
/// organises the game, or its rules let players see each other's).
pub async fn rows(
    conn: &mut PgConnection,
    market: &Market,
    game: &GameRow,
    viewer: Uuid,
    all_visible: bool,
    now: DateTime<Utc>,
) -> Result<Vec<LeaderboardRow>, sqlx::Error> {
    let ranked = ranked(conn, market, game, now).await?;
    Ok(ranked
        .into_iter()
        .map(|(player, row)| {
            let is_you = player == viewer;
            let holdings = if is_you || all_visible { row.holdings } else { Vec::new() };
            LeaderboardRow { is_you, holdings, ..row }
        })
        .collect())
}

/// The game's players in leaderboard order, valued at `now`, each with their user id.
pub async fn ranked(
    conn: &mut PgConnection,
    market: &Market,
    game: &GameRow,
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, LeaderboardRow)>, sqlx::Error> {
    let players: Vec<PlayerRow> = sqlx::query_as(
        "SELECT gp.user_id, u.username, gp.portfolio_id, gp.joined_at, p.starting_cash, p.cash_balance,
                (SELECT count(*) FROM trades t WHERE t.portfolio_id = gp.portfolio_id) AS trades,
                -- What the day's change is counted from: the latest close, or the join.
                (SELECT s.total_value FROM portfolio_snapshots s WHERE s.portfolio_id = gp.portfolio_id
                 ORDER BY s.kind = 'close' DESC, CASE WHEN s.kind = 'close' THEN s.taken_at END DESC, s.taken_at
                 LIMIT 1) AS day_start_value
         FROM game_players gp
         JOIN users u ON u.id = gp.user_id
         JOIN portfolios p ON p.id = gp.portfolio_id
         WHERE gp.game_id = $1",
    )
    .bind(game.id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = players.iter().map(|player| player.portfolio_id).collect();
    let mut held = holdings::of_portfolios(conn, &ids).await?;
    let mut book = PriceBook::new(market, now);
    let mut standings = Vec::with_capacity(players.len());
    let mut holdings_of: HashMap<Uuid, Vec<String>> = HashMap::with_capacity(players.len());
    for player in &players {
        let mut value = player.cash_balance;
        let holdings = held.remove(&player.portfolio_id).unwrap_or_default();
        let summary = holdings.iter().map(|h| format!("{} × {}", h.symbol, h.position.shares)).collect();
        holdings_of.insert(player.user_id, summary);
        for holding in holdings {
            // A holding without a quote now counts at its cost, so a provider outage does not
            // drop a player to the bottom.
            let price = match book.get(&holding.symbol).await {
                Some(priced) => priced.quote.price.amount(),
                None => holding.position.average_price,
            };
            value += price * Decimal::from(holding.position.shares);
        }
        standings.push(Standing {
            player: player.user_id,
            joined_at: player.joined_at,
            starting_value: Money::from_decimal(player.starting_cash),
            value: Money::from_decimal(value),
            trades: player.trades,
        });
    }
    let by_user: HashMap<Uuid, &PlayerRow> = players.iter().map(|player| (player.user_id, player)).collect();
    Ok(rank(standings)
        .into_iter()
        .map(|ranked| {
            let player = by_user.get(&ranked.standing.player);
            let day_start = player.and_then(|p| p.day_start_value);
            let row = LeaderboardRow {
                place: ranked.place,
                username: player.map(|p| p.username.clone()).unwrap_or_default(),
                value: ranked.standing.value,
                day_change: day_start
                    .map_or(Money::ZERO, |start| Money::from_decimal(ranked.standing.value.amount() - start)),
                total_return: ranked.total_return,
                trades: ranked.standing.trades,
                joined_at: ranked.standing.joined_at,
                holdings: holdings_of.remove(&ranked.standing.player).unwrap_or_default(),
                is_you: false,
            };
            (ranked.standing.player, row)
        })
        .collect())
}
