//! The signed-in user's portfolio, valued at current prices.

use crate::domain::quote::PricePoint;
use crate::domain::valuation::PortfolioValue;
use leptos::prelude::*;

use super::AppError;

/// The caller's own active portfolio; 401 when signed out.
#[server(prefix = "/api", endpoint = "my_portfolio")]
pub async fn my_portfolio() -> Result<PortfolioValue, AppError> {
    use crate::server::{auth::session, error::respond, portfolio};
    async move {
        let (state, _, user) = session::signed_in().await?;
        portfolio::value_of(&state, user.id).await?.ok_or_else(|| AppError::NotFound("your portfolio".into()))
    }
    .await
    .map_err(respond)
}

/// The caller's portfolio value as recorded over time (at open, after each trade, at each
/// close), oldest first. The value now is `my_portfolio`'s; the chart appends it.
#[server(prefix = "/api", endpoint = "value_history")]
pub async fn value_history() -> Result<Vec<PricePoint>, AppError> {
    use crate::server::portfolio::history;
    use crate::server::{auth::session, error::respond};
    async move {
        let (state, _, user) = session::signed_in().await?;
        history::of_user(&state.pool, user.id).await?.ok_or_else(|| AppError::NotFound("your portfolio".into()))
    }
    .await
    .map_err(respond)
}

/// Starts over: the active portfolio and its ledger are archived (kept, but out of every view)
/// and a new portfolio opens with the starting cash. `confirm` must be `yes`.
#[server(prefix = "/api", endpoint = "reset_portfolio")]
pub async fn reset_portfolio(confirm: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth::session, error::respond, portfolio};
    async move {
        let (state, _, user) = session::signed_in().await?;
        if confirm.as_deref().map(str::trim) != Some("yes") {
            return Err(AppError::field("confirm", "tick the box to confirm that you want to start over"));
        }
        portfolio::reset(&state, user.id).await?;
        leptos_axum::redirect("/dashboard");
        Ok(())
    }
    .await
    .map_err(respond)
}
