//! The signed-in user's portfolio, valued at current prices.

use crate::domain::valuation::PortfolioValue;
use leptos::prelude::*;

use super::AppError;

/// The caller's own active portfolio; 401 when signed out.
#[server(prefix = "/api", endpoint = "my_portfolio")]
pub async fn my_portfolio() -> Result<PortfolioValue, AppError> {
    use crate::server::{auth::session, error::respond, market::view};
    async move {
        let (state, _, user) = session::signed_in().await?;
        view::portfolio_value(&state, user.id).await?.ok_or_else(|| AppError::NotFound("your portfolio".into()))
    }
    .await
    .map_err(respond)
}
