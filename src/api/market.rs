//! The market as the pages see it: the searchable list, one stock's quote and position, and
//! price history for charts. Public: prices need no account (the position part does).

use crate::domain::quote::{ChartRange, PricePoint};
use crate::wire::market::{MarketRow, StockView};
use crate::wire::AppError;
use leptos::prelude::*;

/// Listings matching `query` (symbol or company name), with their latest quotes.
#[server(prefix = "/api", endpoint = "market_overview")]
pub async fn market_overview(query: String) -> Result<Vec<MarketRow>, AppError> {
    use crate::server::market::view;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, .. }| async move {
        let query: String = query.chars().take(50).collect();
        Ok(view::rows(&state.market, &state.market.universe.search(&query)).await)
    })
    .await
}

/// One stock's quote, day range and market state; signed in, also the caller's position in
/// `portfolio` (the one they selected when absent).
#[server(prefix = "/api", endpoint = "stock_detail")]
pub async fn stock_detail(symbol: String, portfolio: Option<String>) -> Result<StockView, AppError> {
    use crate::server::market::view;
    use crate::server::platform::http::endpoint::anyone;
    anyone(|mut visitor| async move {
        let symbol = view::known_symbol(&visitor.state.market, &symbol)?;
        let viewer = visitor.portfolio(portfolio).await?;
        view::stock_detail(&visitor.state, &symbol, viewer).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "price_history")]
pub async fn price_history(symbol: String, range: ChartRange) -> Result<Vec<PricePoint>, AppError> {
    use crate::server::market::view;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, .. }| async move {
        let symbol = view::known_symbol(&state.market, &symbol)?;
        let listing = state.market.listing(&symbol).map_err(|e| AppError::NotFound(e.to_string()))?;
        state.market.quotes.history(listing, range, chrono::Utc::now()).await.map_err(|_| AppError::Unavailable)
    })
    .await
}
