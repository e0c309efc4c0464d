//! Market data: the universe of listings and their quotes behind one trait, [`QuoteSource`],
//! with the built-in simulated market as the default implementation and [`finnhub`] for real
//! prices when `FINNHUB_API_KEY` is set.

mod cache;
pub mod finnhub;
pub mod price_book;
pub mod secret;
pub mod simulated;
mod universe;
pub mod view;

pub use price_book::{PriceBook, Priced};
pub use universe::{Listing, Universe};

use crate::domain::market_hours::MarketHours;
use crate::domain::quote::{ChartRange, PricePoint, Quote};
use crate::domain::Symbol;
use crate::server::platform::config::Config;
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    #[error("{0} is not a symbol we list")]
    UnknownSymbol(Symbol),
    #[error("no price is available for {0} right now")]
    Unavailable(Symbol),
}

/// Where prices come from. Implementations must be cheap to call often (cache if remote).
#[async_trait::async_trait]
pub trait QuoteSource: Send + Sync {
    /// The latest quote of a listed symbol, with its as-of time.
    async fn quote(&self, listing: &Listing, now: DateTime<Utc>) -> Result<Quote, MarketError>;

    /// Prices over `range`, oldest first, ending at `now`.
    async fn history(
        &self,
        listing: &Listing,
        range: ChartRange,
        now: DateTime<Utc>,
    ) -> Result<Vec<PricePoint>, MarketError>;
}

/// The simulated market: prices from [`simulated::price_at`], no network. With NYSE hours,
/// prices stand still while the market is closed, at the last close, as real quotes do.
pub struct SimulatedQuotes {
    pub hours: MarketHours,
    pub seed: simulated::MarketSeed,
}

impl SimulatedQuotes {
    /// The moment whose price is shown at `at`: `at` itself during a session, else the last close.
    fn priced_at(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.hours.is_open(at) {
            at
        } else {
            self.hours.previous_close(at)
        }
    }
}

#[async_trait::async_trait]
impl QuoteSource for SimulatedQuotes {
    async fn quote(&self, listing: &Listing, now: DateTime<Utc>) -> Result<Quote, MarketError> {
        let priced_at = self.priced_at(now);
        Ok(Quote {
            symbol: listing.symbol.clone(),
            price: simulated::price_at(self.seed, listing, priced_at),
            previous_close: simulated::price_at(self.seed, listing, self.hours.change_since(now)),
            as_of: simulated::tick_start(priced_at),
        })
    }

    async fn history(
        &self,
        listing: &Listing,
        range: ChartRange,
        now: DateTime<Utc>,
    ) -> Result<Vec<PricePoint>, MarketError> {
        Ok(range
            .sample_times(now)
            .into_iter()
            .map(|at| PricePoint { at, price: simulated::price_at(self.seed, listing, self.priced_at(at)) })
            .collect())
    }
}

/// What the rest of the server asks about the market: listings, quotes, and opening hours.
#[derive(Clone)]
pub struct Market {
    pub universe: Arc<Universe>,
    pub quotes: Arc<dyn QuoteSource>,
    pub hours: MarketHours,
}

impl Market {
    pub fn simulated(hours: MarketHours, seed: simulated::MarketSeed) -> Market {
        Market::with_quotes(hours, Arc::new(SimulatedQuotes { hours, seed }))
    }

    /// The built-in universe priced by `quotes`.
    pub fn with_quotes(hours: MarketHours, quotes: Arc<dyn QuoteSource>) -> Market {
        Market { universe: Arc::new(Universe::builtin()), quotes, hours }
    }

    /// Finnhub when it is configured, else the simulated market walking by `seed`.
    pub fn from_config(config: &Config, seed: simulated::MarketSeed) -> Market {
        match &config.finnhub {
            Some(settings) => {
                tracing::info!(base_url = %settings.base_url, "quotes from Finnhub");
                Market::with_quotes(config.market_hours, Arc::new(finnhub::FinnhubQuotes::new(settings)))
            }
            None => Market::simulated(config.market_hours, seed),
        }
    }

    pub fn listing(&self, symbol: &Symbol) -> Result<&Listing, MarketError> {
        self.universe.get(symbol).ok_or_else(|| MarketError::UnknownSymbol(symbol.clone()))
    }

    /// The quote of `symbol` at `now` (one clock reading per request keeps a trade's price and
    /// its snapshot on the same tick).
    pub async fn quote(&self, symbol: &Symbol, now: DateTime<Utc>) -> Result<Quote, MarketError> {
        self.quotes.quote(self.listing(symbol)?, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[tokio::test]
    async fn with_nyse_hours_simulated_prices_stand_still_while_the_market_is_closed() {
        let seed = simulated::MarketSeed::new(7);
        let quotes = SimulatedQuotes { hours: MarketHours::Nyse, seed };
        let universe = Universe::builtin();
        let aapl = universe.get(&Symbol::parse("AAPL").unwrap()).unwrap();
        // Friday 2026-11-27 is a full session (16:00 New York = 21:00 UTC); the weekend follows.
        let friday_close = at("2026-11-27T21:00:00Z");
        let saturday = quotes.quote(aapl, at("2026-11-28T15:00:00Z")).await.unwrap();
        let sunday = quotes.quote(aapl, at("2026-11-29T23:59:00Z")).await.unwrap();
        assert_eq!(saturday, sunday);
        assert_eq!((saturday.price, saturday.as_of), (simulated::price_at(seed, aapl, friday_close), friday_close));
        // The weekend shows Friday's change: against Wednesday's close (Thursday was Thanksgiving).
        assert_eq!(saturday.previous_close, simulated::price_at(seed, aapl, at("2026-11-25T21:00:00Z")));
        let open = quotes.quote(aapl, at("2026-11-30T15:00:00Z")).await.unwrap();
        assert_eq!(open.previous_close, saturday.price, "Monday moves from Friday's close");
    }
}
