//! The watchlist and its price alerts: symbols a learner follows without owning them, and "tell
//! me when it crosses this price". Every function acts on the caller's own list only.

use crate::wire::watchlist::{AlertView, WatchlistEntry};
use crate::wire::AppError;
use leptos::prelude::*;

/// The caller's watchlist, in the order symbols were added, with quotes and alerts.
#[server(prefix = "/api", endpoint = "my_watchlist")]
pub async fn my_watchlist() -> Result<Vec<WatchlistEntry>, AppError> {
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    use crate::server::watchlist;
    signed_in(|Caller { state, user, .. }| async move { watchlist::entries(&state, user.id).await }).await
}

/// Adds a listed symbol to the caller's watchlist (adding one already there is fine).
#[server(prefix = "/api", endpoint = "add_to_watchlist")]
pub async fn add_to_watchlist(symbol: String) -> Result<(), AppError> {
    use crate::server::market::view::known_symbol;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    use crate::server::watchlist;
    signed_in(|Caller { state, user, .. }| async move {
        let symbol = known_symbol(&state.market, &symbol)?;
        watchlist::add(&state.pool, user.id, &symbol).await
    })
    .await
}

/// Removes a symbol and its alerts from the caller's watchlist.
#[server(prefix = "/api", endpoint = "remove_from_watchlist")]
pub async fn remove_from_watchlist(symbol: String) -> Result<(), AppError> {
    use crate::domain::Symbol;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    use crate::server::watchlist;
    signed_in(|Caller { state, user, .. }| async move {
        let symbol = Symbol::parse(&symbol).map_err(|e| AppError::field("symbol", e))?;
        watchlist::remove(&state.pool, user.id, &symbol).await
    })
    .await
}

/// Sets an alert that fires once when `symbol`'s price crosses `threshold` in `direction`
/// (`above` or `below`); the symbol joins the watchlist if it was not on it.
#[server(prefix = "/api", endpoint = "create_price_alert")]
pub async fn create_price_alert(symbol: String, direction: String, threshold: String) -> Result<AlertView, AppError> {
    use crate::domain::alert::{parse_threshold, AlertDirection};
    use crate::server::market::view::known_symbol;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    use crate::server::watchlist;
    signed_in(|Caller { state, user, .. }| async move {
        let symbol = known_symbol(&state.market, &symbol)?;
        let direction = AlertDirection::parse(&direction).map_err(|e| AppError::field("direction", e))?;
        let threshold = parse_threshold(&threshold).map_err(|e| AppError::field("threshold", e))?;
        watchlist::create_alert(&state, user.id, &symbol, direction, threshold).await
    })
    .await
}

/// Deletes one of the caller's alerts, waiting or fired.
#[server(prefix = "/api", endpoint = "delete_price_alert")]
pub async fn delete_price_alert(id: String) -> Result<(), AppError> {
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    use crate::server::watchlist;
    signed_in(|Caller { state, user, .. }| async move {
        let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound("that alert".into()))?;
        watchlist::delete_alert(&state.pool, user.id, id).await
    })
    .await
}
