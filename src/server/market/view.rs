//! Market data shaped for the pages: rows with quotes, a stock's detail with the viewer's
//! position, and a portfolio valued at current prices.

use super::{Listing, Market};
use crate::api::market::{MarketRow, StockPosition, StockView};
use crate::api::AppError;
use crate::domain::quote::{ChartRange, Quote};
use crate::domain::valuation::{self, HoldingInput, PortfolioValue};
use crate::domain::{Money, Symbol};
use crate::server::repo::portfolios;
use crate::server::state::AppState;
use chrono::Utc;
use uuid::Uuid;

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

pub async fn stock_detail(state: &AppState, symbol: &Symbol, viewer: Option<Uuid>) -> Result<StockView, AppError> {
    let market = &state.market;
    let listing = market.listing(symbol).map_err(|e| AppError::NotFound(e.to_string()))?;
    let now = Utc::now();
    let quote = market.quotes.quote(listing, now).await.map_err(|_| AppError::Unavailable)?;
    let day = market.quotes.history(listing, ChartRange::Day, now).await.map_err(|_| AppError::Unavailable)?;
    let prices = day.iter().map(|point| point.price.amount());
    let day_low = prices.clone().min().map_or(quote.price, Money::from_decimal);
    let day_high = prices.max().map_or(quote.price, Money::from_decimal);
    let position = match viewer {
        Some(user_id) => portfolio_value(state, user_id).await?.map(|value| {
            let held = value.holdings.iter().find(|h| h.symbol == symbol.as_str());
            StockPosition {
                shares: held.map_or(0, |h| h.shares),
                average_cost: held.map_or(Money::ZERO, |h| h.average_cost),
                cash: value.cash,
                portfolio_value: value.total_value,
            }
        }),
        None => None,
    };
    Ok(StockView {
        row: row(listing, &quote),
        is_etf: listing.is_etf,
        day_low,
        day_high,
        market_open: market.hours.is_open(now),
        next_open: market.hours.next_open(now),
        position,
        order_key: Uuid::new_v4(),
    })
}

/// The user's active portfolio valued at current prices; `None` if they have none.
pub async fn portfolio_value(state: &AppState, user_id: Uuid) -> Result<Option<PortfolioValue>, AppError> {
    let Some(stored) = portfolios::holdings_of_active(&state.pool, user_id).await? else { return Ok(None) };
    let now = Utc::now();
    let mut inputs = Vec::with_capacity(stored.holdings.len());
    for (symbol, shares, average_price) in stored.holdings {
        let listing = Symbol::parse(&symbol).ok().and_then(|s| state.market.universe.get(&s).cloned());
        let quote = match &listing {
            Some(listing) => state.market.quotes.quote(listing, now).await.ok(),
            None => None,
        };
        // A delisted symbol is valued at its cost rather than dropped.
        let cost = Money::from_decimal(average_price);
        let (price, previous_close) = quote.map_or((cost, cost), |q| (q.price, q.previous_close));
        inputs.push(HoldingInput {
            name: listing.as_ref().map_or_else(|| symbol.clone(), |l| l.name.clone()),
            sector: listing.as_ref().map_or_else(|| "Other".to_owned(), |l| l.sector.clone()),
            symbol,
            shares,
            average_price,
            price,
            previous_close,
        });
    }
    Ok(Some(valuation::value(stored.cash, stored.starting_cash, inputs)))
}
