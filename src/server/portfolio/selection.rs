//! The portfolio a learner is trading in — their personal one or a game's — kept in their
//! session and chosen with the header's switcher. A request that names no portfolio acts on the
//! selection, once the ownership check has passed; a selection that no longer holds (the player
//! was removed, the game portfolio archived) is forgotten and the personal portfolio stands in.

use crate::server::accounts::session::AuthSession;
use crate::server::portfolio::repo::portfolios;
use crate::server::portfolio::{owned_in, requested_portfolio, OwnedPortfolio};
use crate::wire::portfolios::{PortfolioChoice, PortfolioChoices};
use crate::wire::AppError;
use sqlx::PgPool;
use uuid::Uuid;

/// The session key of the selected portfolio's id (absent: the personal portfolio).
const SELECTED: &str = "papertrade.portfolio";

/// The portfolio a request acts on: the one it names (`text`, checked by the caller's
/// ownership check later), else the session's selection while it is still the user's, else
/// `None` — the personal portfolio.
pub async fn requested(
    pool: &PgPool,
    session: &AuthSession,
    user_id: Uuid,
    text: Option<String>,
) -> Result<Option<Uuid>, AppError> {
    if let Some(named) = requested_portfolio(text)? {
        return Ok(Some(named));
    }
    let Some(selected) = stored(session).await else { return Ok(None) };
    match owned_in(pool, user_id, Some(selected)).await {
        Ok(_) => Ok(Some(selected)),
        Err(AppError::NotFound(_)) => {
            forget(session).await;
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// The portfolio a request acts on, after the ownership check: the one it names (`text`), else
/// the session's selection while it is still the user's, else the personal one — one check in
/// each case.
pub async fn owned(
    pool: &PgPool,
    session: &AuthSession,
    user_id: Uuid,
    text: Option<String>,
) -> Result<OwnedPortfolio, AppError> {
    if let Some(named) = requested_portfolio(text)? {
        return owned_in(pool, user_id, Some(named)).await;
    }
    if let Some(selected) = stored(session).await {
        match owned_in(pool, user_id, Some(selected)).await {
            Err(AppError::NotFound(_)) => forget(session).await,
            checked => return checked,
        }
    }
    owned_in(pool, user_id, None).await
}

/// Selects `portfolio` (after the ownership check) for the requests that follow; the personal
/// portfolio clears the selection.
pub async fn select(pool: &PgPool, session: &AuthSession, user_id: Uuid, text: Option<String>) -> Result<(), AppError> {
    let portfolio = owned_in(pool, user_id, requested_portfolio(text)?).await?;
    match portfolio.kind() {
        crate::domain::portfolio::PortfolioKind::Personal => forget(session).await,
        _ => session.session.insert(SELECTED, portfolio.id()).await.map_err(session_error)?,
    }
    Ok(())
}

/// The user's active portfolios (personal first, then their games, the latest start first),
/// with the one requests act on now.
pub async fn choices(pool: &PgPool, session: &AuthSession, user_id: Uuid) -> Result<PortfolioChoices, AppError> {
    let rows = portfolios::choices(&mut *pool.acquire().await?, user_id).await?;
    let selected = requested(pool, session, user_id, None).await?;
    let choices: Vec<PortfolioChoice> = rows
        .into_iter()
        .map(|row| PortfolioChoice {
            id: row.id,
            label: row.game_name.map_or_else(|| "Personal".to_owned(), |name| format!("Game: {name}")),
            game_id: row.game_id,
        })
        .collect();
    let personal = choices.iter().find(|choice| choice.game_id.is_none()).map(|choice| choice.id);
    let selected = selected.or(personal).ok_or_else(|| AppError::NotFound("your portfolio".into()))?;
    Ok(PortfolioChoices { selected, choices })
}

async fn stored(session: &AuthSession) -> Option<Uuid> {
    match session.session.get::<Uuid>(SELECTED).await {
        Ok(selected) => selected,
        Err(error) => {
            tracing::warn!(%error, "unreadable portfolio selection; using the personal portfolio");
            None
        }
    }
}

async fn forget(session: &AuthSession) {
    if let Err(error) = session.session.remove::<Uuid>(SELECTED).await {
        tracing::warn!(%error, "could not clear the portfolio selection");
    }
}

fn session_error(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session error");
    AppError::Internal
}
