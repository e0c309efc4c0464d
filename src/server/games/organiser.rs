//! What only a game's organisers — its creator and the co-organisers they add — may do: see the
//! class (`class::view`), remove a player, adjust a player's cash with a reason the player is
//! told, and move the game's end; and what only its creator may: add and remove co-organisers.
//! Every function checks the organiser first; anyone else is told the game does not exist.

use super::repo::{self, GameRow};
use crate::domain::game::WindowError;
use crate::domain::Money;
use crate::server::live;
use crate::server::notifications::repo::NewNotification;
use crate::server::platform::db;
use crate::server::platform::state::AppState;
use crate::server::portfolio::repo::portfolios;
use crate::wire::games::ClassView;
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The trigger type of notifications from a game's organiser.
pub const GAME_NEWS: &str = "game";
/// The longest reason for a cash adjustment.
pub const MAX_REASON_CHARS: usize = 200;

/// Game `game_id` when `viewer` organises it; 404 otherwise, as for a game that does not exist.
pub async fn organised(conn: &mut PgConnection, game_id: Uuid, viewer: Uuid) -> Result<GameRow, AppError> {
    let no_game = || AppError::NotFound("that game".into());
    let game = repo::by_id(conn, game_id).await?.ok_or_else(no_game)?;
    if organises(conn, &game, viewer).await? {
        Ok(game)
    } else {
        Err(no_game())
    }
}

/// Whether `user_id` organises `game`: created it, or co-organises it.
pub async fn organises(conn: &mut PgConnection, game: &GameRow, user_id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(game.created_by == user_id || repo::is_co_organiser(conn, game.id, user_id).await?)
}

/// Game `game_id` when `viewer` created it. A co-organiser is told only its creator may do
/// this; anyone else, that the game does not exist.
async fn created(conn: &mut PgConnection, game_id: Uuid, viewer: Uuid) -> Result<GameRow, AppError> {
    let game = organised(conn, game_id, viewer).await?;
    if game.created_by != viewer {
        return Err(AppError::Conflict("only the game's creator adds and removes organisers".into()));
    }
    Ok(game)
}

/// Adds the user named `username` as a co-organiser of the creator's game `game_id`: they see the
/// teacher's view and may do what the creator does there. Players, guests and the creator
/// themself cannot be added. Returns their username as stored.
pub async fn add_organiser(state: &AppState, game_id: Uuid, viewer: Uuid, username: &str) -> Result<String, AppError> {
    let username = username.trim().trim_start_matches('@');
    if username.is_empty() {
        return Err(AppError::field("username", "enter the username of the person to add"));
    }
    let mut tx = db::begin(&state.pool).await?;
    let game = created(&mut tx, game_id, viewer).await?;
    let user = repo::user_by_username(&mut tx, username)
        .await?
        .ok_or_else(|| AppError::field("username", format!("nobody has the username “{username}”")))?;
    let refusal = if user.id == game.created_by {
        Some("you created this game: you organise it already".to_owned())
    } else if user.is_guest {
        Some(format!("an organiser needs an account, and {} is a guest", user.username))
    } else if repo::player_portfolio(&mut tx, game.id, user.id).await?.is_some() {
        Some(format!("a player cannot organise the game too, and {} plays in it", user.username))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return Err(AppError::field("username", refusal));
    }
    if repo::insert_organiser(&mut tx, game.id, user.id).await? {
        let message = format!("You now organise “{}”: its page shows you the class and lets you manage it.", game.name);
        let link = format!("/games/{}", game.id);
        let note = NewNotification::game_news(user.id, "You organise a game", &message, &link, Utc::now());
        live::publish_notification(&mut tx, &note).await?;
        live::publish_games_change(&mut tx, user.id).await?;
    }
    tx.commit().await?;
    Ok(user.username)
}

/// Takes co-organiser `user_id` off the creator's game `game_id`.
pub async fn remove_organiser(state: &AppState, game_id: Uuid, viewer: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let mut tx = db::begin(&state.pool).await?;
    let game = created(&mut tx, game_id, viewer).await?;
    if !repo::delete_organiser(&mut tx, game.id, user_id).await? {
        return Err(AppError::NotFound("that organiser".into()));
    }
    live::publish_games_change(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the end of game `game_id` to `ends_at` (see `Window::with_end`): the one rule that may
/// change once a game runs. Every open page of the game reloads its countdown.
pub async fn change_end(state: &AppState, game_id: Uuid, viewer: Uuid, ends_at: DateTime<Utc>) -> Result<(), AppError> {
    let now = Utc::now();
    let mut tx = db::begin(&state.pool).await?;
    let game = organised(&mut tx, game_id, viewer).await?;
    let ended = || AppError::field("ends_at", WindowError::Ended);
    if game.final_at.is_some() {
        return Err(ended());
    }
    let window = game.window().with_end(ends_at, now).map_err(|error| AppError::field("ends_at", error))?;
    if !repo::set_end(&mut tx, game.id, window.ends_at, now).await? {
        return Err(ended());
    }
    live::publish_game_change(&mut *tx, game.id).await?;
    tx.commit().await?;
    Ok(())
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
    let class = super::class::view(&mut conn, &state.market, &state.config.coach, &game, now, day_start).await?;
    Ok(Some(ClassView { you_created: game.created_by == viewer, ..class }))
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
