//! What only a game's organiser may do: see the class (`class::view`), remove a player, and adjust
//! a player's cash with a reason the player is told. Every function checks the organiser first;
//! anyone else is told the game does not exist.

use super::repo::{self, GameRow};
use crate::domain::Money;
use crate::server::live;
use crate::server::notifications::repo::NewNotification;
use crate::server::platform::db;
use crate::server::platform::state::AppState;
use crate::server::portfolio::repo::portfolios;
use crate::wire::games::ClassView;
use crate::wire::AppError;
use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

/// The trigger type of notifications from a game's organiser.
pub const GAME_NEWS: &str = "game";
/// The longest reason for a cash adjustment.
pub const MAX_REASON_CHARS: usize = 200;

/// Game `game_id` when `viewer` organises it; 404 otherwise, as for a game that does not exist.
pub async fn organised(conn: &mut PgConnection, game_id: Uuid, viewer: Uuid) -> Result<GameRow, AppError> {
    repo::by_id(conn, game_id)
        .await?
        .filter(|game| game.created_by == viewer)
        .ok_or_else(|| AppError::NotFound("that game".into()))
}

/// The teacher's view of the game; `None` for anyone but its organiser (the game page asks for
/// it whoever looks, and a refusal would make the page's answer a 404).
pub async fn class(state: &AppState, game_id: Uuid, viewer: Uuid) -> Result<Option<ClassView>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let game = match organised(&mut conn, game_id, viewer).await {
        Ok(game) => game,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let now = Utc::now();
    let day_start = state.market.hours.change_since(now);
    Ok(Some(super::class::view(&mut conn, &state.market, &state.config.coach, &game, now, day_start).await?))
}

/// Removes the player of `portfolio_id` from the game: off the board, their game portfolio put
/// away (kept, out of every view), and a note telling them.
pub async fn remove_player(state: &AppState, game_id: Uuid, viewer: Uuid, portfolio_id: Uuid) -> Result<(), AppError> {
    let mut tx = db::begin(&state.pool).await?;
    let game = organised(&mut tx, game_id, viewer).await?;
    let player = repo::remove_player(&mut tx, game.id, portfolio_id)
        .await?
        .ok_or_else(|| AppError::NotFound("that player".into()))?;
    portfolios::archive(&mut tx, portfolio_id).await?;
    let message =
        format!("The organiser of “{}” removed you from the game; your own portfolio is as it was.", game.name);
    let note = NewNotification::game_news(player, "You left a game", &message, "/games", Utc::now());
    live::publish_notification(&mut tx, &note).await?;
    live::publish_game_change(&mut *tx, game.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds `amount` (negative: takes it) to the cash of the player of `portfolio_id`, with `reason`,
/// which the player is told. The cash may not go below zero.
pub async fn adjust_cash(
    state: &AppState,
    game_id: Uuid,
    viewer: Uuid,
    portfolio_id: Uuid,
    amount: Money,
    reason: &str,
) -> Result<Money, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::field("reason", "give the player a reason of 1 to 200 characters"));
    }
    if amount.is_zero() {
        return Err(AppError::field("amount", "enter an amount other than zero, like 500 or -250"));
    }
    let mut tx = db::begin(&state.pool).await?;
    let game = organised(&mut tx, game_id, viewer).await?;
    let player = repo::player_of_portfolio(&mut tx, game.id, portfolio_id)
        .await?
        .ok_or_else(|| AppError::NotFound("that player".into()))?;
    let locked = portfolios::lock(&mut tx, portfolio_id).await?;
    let cash = locked.ok_or_else(|| AppError::NotFound("that player".into()))?.cash;
    let cash_after = cash.checked_add(amount).filter(|after| !after.is_negative()).ok_or_else(|| {
        AppError::field("amount", format!("the player has {} in cash; cash cannot go below $0.00", cash.to_usd()))
    })?;
    portfolios::set_cash(&mut tx, portfolio_id, cash_after).await?;
    repo::record_adjustment(&mut tx, game.id, portfolio_id, amount, reason, viewer).await?;
    let message = format!(
        "The organiser of “{}” {} {} your game cash: “{reason}”. Your cash is now {}.",
        game.name,
        if amount.is_negative() { "took" } else { "added" },
        Money::from_decimal(amount.amount().abs()).to_usd(),
        cash_after.to_usd()
    );
    let link = format!("/games/{}", game.id);
    let note = NewNotification::game_news(player, "Your game cash changed", &message, &link, Utc::now());
    live::publish_notification(&mut tx, &note).await?;
    live::publish_game_change(&mut *tx, game.id).await?;
    tx.commit().await?;
    Ok(cash_after)
}
