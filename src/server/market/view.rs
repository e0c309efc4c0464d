//! Market data shaped for the pages: rows with quotes, and a stock's detail with the viewer's
//! position.

use crate::server::market::Listing;

use crate::domain::quote::{ChartRange, Quote};
use crate::domain::{Money, Symbol};
use crate::server::market::Market;
use crate::server::platform::state::AppState;
use crate::server::portfolio::OwnedPortfolio;
use crate::wire::market::{MarketRow, StockPosition, StockView};
use crate::wire::AppError;
use chrono::Utc;
use uuid::Uuid;

/// A quote older than this is shown as delayed, with its date and time.
const DELAYED_AFTER: chrono::Duration = chrono::Duration::minutes(1);

/// A symbol from a request that we list, or a 404 naming it.
pub fn known_symbol(market: &Market, text: &str) -> Result<Symbol, AppError> {
    let symbol = Symbol::parse(text).map_err(|e| AppError::field("symbol", e))?;
    market.listing(&symbol).map_err(|_| AppError::NotFound(format!("the symbol {symbol}")))?;
    Ok(symbol)
}

pub fn row(listing: &Listing, quote: &Quote) -> MarketRow {
    MarketRow {
        symbol: listing.symbol.to_string(),
        name: listing.name.clone(),
        sector: listing.sector.clone(),
        price: quote.price,
        change: quote.change(),
        change_percent: quote.change_percent(),
        as_of: quote.as_of,
    }
}

pub async fn rows(market: &Market, listings: &[&Listing]) -> Vec<MarketRow> {
    let now = Utc::now();
    let mut rows = Vec::with_capacity(listings.len());
    for listing in listings {
        if let Ok(quote) = market.quotes.quote(listing, now).await {
            rows.push(row(listing, &quote));
        }
    }
    rows
}

/// One stock with, when `viewer` is given, the viewer's position in that portfolio.
pub async fn stock_detail(
    state: &AppState,
    symbol: &Symbol,
    viewer: Option<OwnedPortfolio>,
) -> Result<StockView, AppError> {
    let market = &state.market;
    let listing = market.listing(symbol).map_err(|e| AppError::NotFound(e.to_string()))?;
    let now = Utc::now();
    let quote = market.quotes.quote(listing, now).await.map_err(|_| AppError::Unavailable)?;
    let day = market.quotes.history(listing, ChartRange::Day, now).await.map_err(|_| AppError::Unavailable)?;
    let prices = day.iter().map(|point| point.price.amount());
    let day_low = prices.clone().min().map_or(quote.price, Money::from_decimal);
    let day_high = prices.max().map_or(quote.price, Money::from_decimal);
    let position = match viewer {
        Some(portfolio) => {
            let value = crate::server::portfolio::value_of(state, portfolio).await?;
            let held = value.holdings.iter().find(|h| h.symbol == symbol.as_str());
            let mut conn = state.pool.acquire().await?;
            let reserved = crate::server::orders::repo::reserved(&mut conn, portfolio.id(), symbol, None).await?;
            let game = crate::server::games::of_portfolio(&mut conn, portfolio.kind(), portfolio.id()).await?;
            Some(StockPosition {
                shares: held.map_or(0, |h| h.shares),
                average_cost: held.map_or(Money::ZERO, |h| h.average_cost),
                cash: value.cash,
                portfolio_value: value.total_value,
                reserved,
                commission: game.map(|game| game.rules.commission).unwrap_or_default(),
            })
        }
        None => None,
    };
    Ok(StockView {
        row: row(listing, &quote),
        is_etf: listing.is_etf,
        day_low,
        day_high,
        market_open: market.hours.is_open(now),
        quote_delayed: now - quote.as_of > DELAYED_AFTER,
        next_open: market.hours.next_open(now),
        position,
        order_key: Uuid::new_v4(),
    })
}
