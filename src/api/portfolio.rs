//! The signed-in user's portfolios, valued at current prices. Each function acts on the
//! portfolio named by `portfolio` (an id) after checking the caller owns it — the one they
//! selected (their personal portfolio unless they chose a game's) when it is absent or empty.

use crate::domain::quote::PricePoint;
use crate::domain::valuation::PortfolioValue;
use crate::wire::portfolios::PortfolioChoices;
use crate::wire::AppError;
use leptos::prelude::*;

/// The caller's portfolio valued now; 401 when signed out, 404 when it is not theirs.
#[server(prefix = "/api", endpoint = "my_portfolio")]
pub async fn my_portfolio(portfolio: Option<String>) -> Result<PortfolioValue, AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio;
    signed_in(|caller| async move {
        let owned = caller.portfolio(portfolio).await?;
        portfolio::value_of(&caller.state, owned).await
    })
    .await
}

/// The portfolio's value as recorded over time (at open, after each trade, at each close),
/// oldest first. The value now is `my_portfolio`'s; the chart appends it.
#[server(prefix = "/api", endpoint = "value_history")]
pub async fn value_history(portfolio: Option<String>) -> Result<Vec<PricePoint>, AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio::history;
    signed_in(|caller| async move {
        let owned = caller.portfolio(portfolio).await?;
        Ok(history::of_portfolio(&caller.state.pool, owned).await?)
    })
    .await
}

/// Starts over: the personal portfolio and its ledger are archived (kept, but out of every
/// view) and a new one opens with the starting cash. `confirm` must be `yes`.
#[server(prefix = "/api", endpoint = "reset_portfolio")]
pub async fn reset_portfolio(confirm: Option<String>, portfolio: Option<String>) -> Result<(), AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio;
    signed_in(|caller| async move {
        if confirm.as_deref().map(str::trim) != Some("yes") {
            return Err(AppError::field("confirm", "tick the box to confirm that you want to start over"));
        }
        let owned = caller.portfolio(portfolio).await?;
        portfolio::reset(&caller.state, owned).await?;
        leptos_axum::redirect("/dashboard");
        Ok(())
    })
    .await
}

/// The caller's portfolios — personal, and one per game they play — and the one every page and
/// order acts on now.
#[server(prefix = "/api", endpoint = "my_portfolios")]
pub async fn my_portfolios() -> Result<PortfolioChoices, AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio::selection;
    signed_in(|caller| async move { selection::choices(&caller.state.pool, &caller.session, caller.user.id).await })
        .await
}

/// Trades in `portfolio` from now on (after the ownership check): pages, orders and the CSV act
/// on it until another is chosen. Sent from a plain form, it returns to the page it came from.
#[server(prefix = "/api", endpoint = "select_portfolio")]
pub async fn select_portfolio(portfolio: String) -> Result<(), AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio::selection;
    signed_in(|caller| async move {
        selection::select(&caller.state.pool, &caller.session, caller.user.id, Some(portfolio)).await
    })
    .await
}
