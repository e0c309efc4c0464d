//! Public, aggregate figures about the whole platform, shown on the landing page.

use crate::wire::platform::PlatformFigures;
use crate::wire::AppError;
use leptos::prelude::*;

/// Public by design: returns only counts and totals across all users, never anyone's data.
#[server(prefix = "/api", endpoint = "platform_stats")]
pub async fn platform_stats() -> Result<PlatformFigures, AppError> {
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    use crate::server::portfolio::repo::stats;

    anyone(|Visitor { state, .. }| async move { Ok(stats::platform(&state.pool).await?) }).await
}
