//! The teacher's view of a game: every player's portfolio now — value, cash, holdings, trades,
//! the coach's patterns, refusals and notes — and the class summary that counts them
//! (`domain::coach::class_summary`).
//! Only the game's organiser sees it.

use super::repo::GameRow;
use crate::domain::coach::class_summary::{ClassSummary, Patterns};
use crate::domain::coach::{CoachSettings, PortfolioFacts};
use crate::domain::quote::Percent;
use crate::domain::Money;
use crate::server::coach::PriceBook;
use crate::server::market::Market;
use crate::server::portfolio::repo::holdings;
use crate::wire::games::{ClassView, Organiser, PlayerDetail};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PlayerRow {
    username: String,
    portfolio_id: Uuid,
    joined_at: DateTime<Utc>,
    starting_cash: Decimal,
    cash_balance: Decimal,
    trades: i64,
    trades_today: i64,
    last_trade_at: Option<DateTime<Utc>>,
    refusals: i64,
    last_refusal: Option<String>,
    coach_notes: i64,
    latest_coach_notes: Vec<String>,
}

/// The coach's latest notes on a player's game portfolio the teacher's view names.
const LATEST_COACH_NOTES: i64 = 3;

/// Every player of `game` as its teacher sees them at `now`, in the order they joined, the class
/// summary and the organisers (`you_created` is left to the caller, who knows the viewer).
/// `day_start` is when the current trading day began (for overtrading).
pub async fn view(
    conn: &mut PgConnection,
    market: &Market,
    settings: &CoachSettings,
    game: &GameRow,
    now: DateTime<Utc>,
    day_start: DateTime<Utc>,
) -> Result<ClassView, sqlx::Error> {
    let players: Vec<PlayerRow> = sqlx::query_as(
        "SELECT u.username, gp.portfolio_id, gp.joined_at, p.starting_cash, p.cash_balance,
                count(t.id) AS trades, count(t.id) FILTER (WHERE t.executed_at >= $2) AS trades_today,
                max(t.executed_at) AS last_trade_at,
                (SELECT count(*) FROM game_refusals r WHERE r.portfolio_id = gp.portfolio_id) AS refusals,
                (SELECT r.message FROM game_refusals r WHERE r.portfolio_id = gp.portfolio_id
                 ORDER BY r.refused_at DESC, r.id DESC LIMIT 1) AS last_refusal,
                (SELECT count(*) FROM notifications n WHERE n.portfolio_id = gp.portfolio_id) AS coach_notes,
                ARRAY(SELECT n.title FROM notifications n WHERE n.portfolio_id = gp.portfolio_id
                      ORDER BY n.created_at DESC, n.id DESC LIMIT $3) AS latest_coach_notes
         FROM game_players gp
         JOIN users u ON u.id = gp.user_id
         JOIN portfolios p ON p.id = gp.portfolio_id
         LEFT JOIN trades t ON t.portfolio_id = gp.portfolio_id
         WHERE gp.game_id = $1
         GROUP BY u.username, gp.portfolio_id, gp.joined_at, p.starting_cash, p.cash_balance
         ORDER BY gp.joined_at, gp.portfolio_id",
    )
    .bind(game.id)
    .bind(day_start)
    .bind(LATEST_COACH_NOTES)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = players.iter().map(|player| player.portfolio_id).collect();
    let mut held = holdings::of_portfolios(conn, &ids).await?;
    let mut prices = PriceBook::new(market, now);
    let mut details = Vec::with_capacity(players.len());
    let mut patterns = Vec::with_capacity(players.len());
    for player in players {
        let facts = PortfolioFacts {
            cash: Money::from_decimal(player.cash_balance),
            starting_cash: Money::from_decimal(player.starting_cash),
            holdings: prices.facts(&held.remove(&player.portfolio_id).unwrap_or_default()).await,
            opened_at: player.joined_at,
            last_trade_at: player.last_trade_at,
            trades_total: player.trades,
            trades_today: player.trades_today,
        };
        let seen = Patterns::of(&facts, settings);
        let value = facts
            .holdings
            .iter()
            .fold(facts.cash.amount(), |sum, holding| sum + holding.price.amount() * Decimal::from(holding.shares));
        details.push(PlayerDetail {
            portfolio_id: player.portfolio_id,
            username: player.username,
            value: Money::from_decimal(value),
            cash: facts.cash,
            total_return: Percent::of(value - player.starting_cash, player.starting_cash),
            holdings: facts.holdings.iter().map(|h| format!("{} × {}", h.symbol, h.shares)).collect(),
            trades: player.trades,
            last_trade_at: player.last_trade_at,
            patterns: seen.labels().into_iter().map(str::to_owned).collect(),
            refusals: player.refusals,
            last_refusal: player.last_refusal,
            coach_notes: player.coach_notes,
            latest_coach_notes: player.latest_coach_notes,
        });
        patterns.push(seen);
    }
    let organisers = super::repo::organisers(conn, game)
        .await?
        .into_iter()
        .map(|(user_id, username)| Organiser { user_id, username, is_creator: user_id == game.created_by })
        .collect();
    Ok(ClassView { summary: ClassSummary::of(&patterns), players: details, organisers, you_created: false })
}
