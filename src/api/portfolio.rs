//! The signed-in user's portfolio.

use crate::domain::Money;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingLine {
    pub symbol: String,
    pub shares: i64,
    pub average_cost: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioOverview {
    pub cash: Money,
    pub starting_cash: Money,
    pub holdings: Vec<HoldingLine>,
}

/// The caller's own active portfolio; 401 when signed out.
#[server(prefix = "/api", endpoint = "my_portfolio")]
pub async fn my_portfolio() -> Result<PortfolioOverview, AppError> {
    use crate::server::{auth::session, error::respond, repo::portfolios};
    async move {
        let (state, _, user) = session::signed_in().await?;
        portfolios::overview(&state.pool, user.id).await?.ok_or_else(|| AppError::NotFound("your portfolio".into()))
    }
    .await
    .map_err(respond)
}
