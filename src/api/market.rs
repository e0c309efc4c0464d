//! The market as the pages see it: the searchable list, one stock's quote and position, and
//! price history for charts. Public: prices need no account (the position part does).

use crate::domain::quote::{ChartRange, Percent, PricePoint};
use crate::domain::Money;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// One line of the Markets page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketRow {
    pub symbol: String,
    pub name: String,
    pub sector: String,
    pub price: Money,
    pub change: Money,
    pub change_percent: Percent,
    pub as_of: DateTime<Utc>,
}

/// The signed-in learner's stake in one stock, for the stock page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockPosition {
    pub shares: i64,
    pub average_cost: Money,
    pub cash: Money,
    /// Cash plus every holding at current prices: the base for "weight after this order".
    pub portfolio_value: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockView {
    pub row: MarketRow,
    pub is_etf: bool,
    pub day_low: Money,
    pub day_high: Money,
    pub market_open: bool,
    /// The quote is more than a minute old (a provider outage, or the last close).
    pub quote_delayed: bool,
    pub next_open: Option<DateTime<Utc>>,
    /// `None` when signed out.
    pub position: Option<StockPosition>,
    /// A fresh idempotency key for the next order from this page.
    pub order_key: uuid::Uuid,
}

/// Listings matching `query` (symbol or company name), with their latest quotes.
#[server(prefix = "/api", endpoint = "market_overview")]
pub async fn market_overview(query: String) -> Result<Vec<MarketRow>, AppError> {
    use crate::server::{error::respond, market::view, state::AppState};
    let state = AppState::from_context().map_err(respond)?;
    let query: String = query.chars().take(50).collect();
    Ok(view::rows(&state.market, &state.market.universe.search(&query)).await)
}

#[server(prefix = "/api", endpoint = "stock_detail")]
pub async fn stock_detail(symbol: String) -> Result<StockView, AppError> {
    use crate::server::{auth::session, error::respond, market::view, state::AppState};
    async move {
        let state = AppState::from_context()?;
        let symbol = view::known_symbol(&state.market, &symbol)?;
        let mut auth = session::from_request().await?;
        let viewer = session::current_user(&mut auth, &state.config).await?;
        view::stock_detail(&state, &symbol, viewer.map(|user| user.id)).await
    }
    .await
    .map_err(respond)
}

#[server(prefix = "/api", endpoint = "price_history")]
pub async fn price_history(symbol: String, range: ChartRange) -> Result<Vec<PricePoint>, AppError> {
    use crate::server::{error::respond, market::view, state::AppState};
    async move {
        let state = AppState::from_context()?;
        let symbol = view::known_symbol(&state.market, &symbol)?;
        let listing = state.market.listing(&symbol).map_err(|e| AppError::NotFound(e.to_string()))?;
        state.market.quotes.history(listing, range, Utc::now()).await.map_err(|_| AppError::Unavailable)
    }
    .await
    .map_err(respond)
}
