//! Real quotes from [Finnhub](https://finnhub.io), on when `FINNHUB_API_KEY` is set.
//!
//! Why Finnhub: its free plan allows 60 calls a minute (Alpha Vantage: 25 a day; Twelve Data:
//! 8 a minute), and one `/quote` call returns the current price, the previous close, the day's
//! high and low and the time of the price — everything a quote line needs.
//!
//! How it stays within that: each symbol's quote is cached for `FINNHUB_CACHE_SECS` (default 15)
//! however many people look, concurrent misses share one request, and a client-side budget of
//! `FINNHUB_CALLS_PER_MINUTE` (default 55) calls stays under the plan's limit. After a 429 no call
//! goes out until Finnhub's reset time. When Finnhub fails (timeout, 5xx, 429, budget used up,
//! garbled JSON) the last known quote is served with its original as-of time, so the page shows
//! how old it is; a symbol never priced is unavailable.
//!
//! History comes from `/stock/candle`, which Finnhub's free plan does not include (it answers 403).
//! Then, or on any failure, the chart is empty ("not enough data"), never an error, and a 401/403
//! stops candle requests for an hour so they do not eat the quote budget.
//!
//! Only symbols of the built-in universe are priced: [`crate::server::market::Market`] looks listings up first.

mod client;
mod wire;

use crate::domain::quote::{ChartRange, PricePoint, Quote};
use crate::domain::Symbol;
use crate::server::market::cache::Cache;
use crate::server::market::{Listing, MarketError, QuoteSource};
use crate::server::platform::config::FinnhubSettings;
use chrono::{DateTime, Utc};
use client::{Client, Failure};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// After Finnhub rejects the key, how long before trying again.
const DENIED_PAUSE: Duration = Duration::from_secs(60);
/// After Finnhub refuses candles (not in the plan), how long before asking again.
const HISTORY_DENIED_PAUSE: Duration = Duration::from_secs(3600);

pub struct FinnhubQuotes {
    client: Client,
    quote_ttl: Duration,
    quotes: Cache<Symbol, Quote>,
    history: Cache<(Symbol, ChartRange), Vec<PricePoint>>,
    history_denied_until: Mutex<Option<Instant>>,
}

impl FinnhubQuotes {
    pub fn new(settings: &FinnhubSettings) -> FinnhubQuotes {
        FinnhubQuotes {
            client: Client::new(settings),
            quote_ttl: settings.cache_ttl,
            quotes: Cache::new(),
            history: Cache::new(),
            history_denied_until: Mutex::new(None),
        }
    }

    #[tracing::instrument(skip(self), fields(symbol = %symbol))]
    async fn fetch_quote(&self, symbol: &Symbol) -> Option<Quote> {
        match self.client.get::<wire::QuoteBody>("/quote", &[("symbol", symbol.as_str())]).await {
            Ok(body) => {
                let quote = wire::quote(symbol, &body);
                if quote.is_none() {
                    tracing::warn!("Finnhub has no price for this symbol");
                }
                quote
            }
            Err(failure @ Failure::Denied(_)) => {
                self.client.pause_for(DENIED_PAUSE);
                tracing::error!(%failure, "Finnhub quote refused; serving the last known price, if any");
                None
            }
            Err(failure @ (Failure::Budget | Failure::Paused)) => {
                tracing::debug!(%failure, "Finnhub quote skipped; serving the last known price, if any");
                None
            }
            Err(failure) => {
                tracing::warn!(%failure, "Finnhub quote failed; serving the last known price, if any");
                None
            }
        }
    }

    #[tracing::instrument(skip(self, listing), fields(symbol = %listing.symbol))]
    async fn fetch_history(&self, listing: &Listing, range: ChartRange, now: DateTime<Utc>) -> Option<Vec<PricePoint>> {
        let denied_until = *self.history_denied_until.lock().unwrap_or_else(PoisonError::into_inner);
        if denied_until.is_some_and(|until| Instant::now() < until) {
            return None;
        }
        let (span, _) = range.span_and_step();
        let (from, to) = ((now - span).timestamp().to_string(), now.timestamp().to_string());
        let query = [
            ("symbol", listing.symbol.as_str()),
            ("resolution", wire::resolution(range)),
            ("from", &from),
            ("to", &to),
        ];
        match self.client.get::<wire::CandleBody>("/stock/candle", &query).await.map(|body| wire::candles(&body)) {
            Ok(Ok(points)) => Some(points),
            Ok(Err(problem)) => {
                tracing::warn!(problem, "Finnhub candles unreadable");
                None
            }
            Err(Failure::Denied(status)) => {
                *self.history_denied_until.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(Instant::now() + HISTORY_DENIED_PAUSE);
                tracing::warn!(%status, "Finnhub refused price history (candles need a paid plan); charts stay empty for an hour");
                None
            }
            Err(failure) => {
                tracing::debug!(%failure, "Finnhub candles unavailable");
                None
            }
        }
    }
}

#[async_trait::async_trait]
impl QuoteSource for FinnhubQuotes {
    async fn quote(&self, listing: &Listing, _now: DateTime<Utc>) -> Result<Quote, MarketError> {
        let symbol = &listing.symbol;
        let cached = self.quotes.get(symbol, self.quote_ttl, self.quote_ttl, || self.fetch_quote(symbol)).await;
        cached.ok_or_else(|| MarketError::Unavailable(symbol.clone()))
    }

    /// Candles at about the range's spacing; an empty list when Finnhub has none for us.
    async fn history(
        &self,
        listing: &Listing,
        range: ChartRange,
        now: DateTime<Utc>,
    ) -> Result<Vec<PricePoint>, MarketError> {
        // A new candle appears once per step, so asking more often would only spend the budget;
        // after a failure (budget spent, say), try again as soon as a quote would.
        let (_, step) = range.span_and_step();
        let ttl = step.to_std().unwrap_or_default().max(self.quote_ttl);
        let key = (listing.symbol.clone(), range);
        let fetch = || self.fetch_history(listing, range, now);
        Ok(self.history.get(&key, ttl, self.quote_ttl, fetch).await.unwrap_or_default())
    }
}
