//! Public, aggregate figures about the whole platform, shown on the landing page.

use crate::domain::Money;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// What the landing page shows under "Papertrade today".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFigures {
    pub learners: i64,
    pub trades_executed: i64,
    pub virtual_cash: Money,
}

/// Public by design: returns only counts and totals across all users, never anyone's data.
#[server(prefix = "/api", endpoint = "platform_stats")]
pub async fn platform_stats() -> Result<PlatformFigures, AppError> {
    use crate::server::{error::respond, repo::stats, state::AppState};

    async move {
        let state = AppState::from_context()?;
        Ok(stats::platform(&state.pool).await?)
    }
    .await
    .map_err(respond)
}
