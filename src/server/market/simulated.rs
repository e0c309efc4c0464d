//! The built-in market: every price is a pure function of (the deployment's secret seed,
//! symbol, time), so every server instance shows the same price at the same moment and the same
//! history after a restart, with no network — and nobody without the seed (it is never sent to a
//! client: [`super::secret`]) can compute a future price.
//!
//! The model: the log of the price wanders around the listing's reference price as a sum of
//! twelve layers of smooth random noise ("octaves"), each four times slower than the last, from
//! 5 seconds to about 8 months. A layer's size grows with the square root of its period, as a
//! random walk's spread does, scaled by the listing's annual volatility. Prices change every
//! 5 seconds; over long spans they stay within a plausible band of the reference price.

use crate::domain::Money;
use crate::server::market::universe::Listing;
use chrono::{DateTime, Utc};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

/// Prices move once per tick.
pub const TICK_SECS: i64 = 5;
const OCTAVES: u32 = 12;
const SECONDS_PER_YEAR: f64 = 365.25 * 24.0 * 3600.0;
/// Calibrates layer sizes so that daily returns have about the listing's volatility.
const SPREAD: f64 = 0.75;

/// The secret that makes one deployment's price walks its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MarketSeed(u64);

impl MarketSeed {
    pub fn new(seed: u64) -> MarketSeed {
        MarketSeed(seed)
    }
}

impl std::fmt::Debug for MarketSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MarketSeed(..)") // a secret: never in a log line
    }
}

/// The simulated price of `listing` at `at` under `secret`, in whole cents, never below one cent.
pub fn price_at(secret: MarketSeed, listing: &Listing, at: DateTime<Utc>) -> Money {
    let tick = at.timestamp().div_euclid(TICK_SECS);
    let reference = f64::try_from(listing.reference_price.amount()).unwrap_or(1.0);
    let seed = splitmix(splitmix(secret.0) ^ seed(listing.symbol.as_str()));
    let price = reference * log_deviation(seed, listing.volatility, tick).exp();
    let cents = Decimal::from_f64((price * 100.0).round()).unwrap_or(Decimal::ONE).max(Decimal::ONE);
    Money::from_decimal(cents / Decimal::ONE_HUNDRED)
}

/// The last tick boundary at or before `at`: when the price shown at `at` was set.
pub fn tick_start(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp().div_euclid(TICK_SECS) * TICK_SECS, 0).unwrap_or(at)
}

fn log_deviation(seed: u64, annual_volatility: f64, tick: i64) -> f64 {
    let per_tick = annual_volatility * (TICK_SECS as f64 / SECONDS_PER_YEAR).sqrt();
    (0..OCTAVES)
        .map(|octave| {
            let period = 4_i64.pow(octave);
            let position = tick.div_euclid(period);
            let fraction = tick.rem_euclid(period) as f64 / period as f64;
            let here = gaussian(seed, octave, position);
            let next = gaussian(seed, octave, position + 1);
            let amplitude = SPREAD * per_tick * (period as f64).sqrt();
            amplitude * (here + (next - here) * fraction)
        })
        .sum()
}

/// A stable 64-bit seed per symbol (FNV-1a), independent of Rust's randomized hashers.
fn seed(symbol: &str) -> u64 {
    symbol.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A standard normal value determined by its inputs (Box–Muller over two hashed uniforms).
fn gaussian(seed: u64, octave: u32, position: i64) -> f64 {
    let base = splitmix(seed ^ splitmix(u64::from(octave) ^ splitmix(position as u64)));
    let u1 = ((base >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (splitmix(base) >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::market::Universe;
    use chrono::Duration;

    const SEED: MarketSeed = MarketSeed(42);

    fn listing(symbol: &str) -> Listing {
        Universe::builtin().get(&crate::domain::Symbol::parse(symbol).unwrap()).unwrap().clone()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn the_same_symbol_and_time_give_the_same_price() {
        let apple = listing("AAPL");
        let moment = at(1_790_000_000);
        assert_eq!(price_at(SEED, &apple, moment), price_at(SEED, &apple.clone(), moment));
        // Within one tick the price holds; across ticks it moves.
        assert_eq!(price_at(SEED, &apple, moment), price_at(SEED, &apple, moment + Duration::seconds(4)));
        let moves = (0..100)
            .filter(|i| {
                price_at(SEED, &apple, at(1_790_000_000 + i * 5)) != price_at(SEED, &apple, at(1_790_000_005 + i * 5))
            })
            .count();
        assert!(moves > 50, "the price moved at only {moves} of 100 ticks");
    }

    #[test]
    fn known_prices_never_change_between_releases() {
        // Pinned so that a change to the model is a deliberate one: history would shift.
        let apple = listing("AAPL");
        assert_eq!(price_at(SEED, &apple, at(1_800_000_000)).to_string(), "310.57");
        assert_eq!(price_at(SEED, &listing("SPY"), at(1_750_000_000)).to_string(), "677.90");
    }

    #[test]
    fn another_seed_walks_another_way() {
        let apple = listing("AAPL");
        let other = MarketSeed::new(43);
        let differ = (0..100).filter(|day| {
            let moment = at(1_790_000_000 + day * 86_400);
            price_at(SEED, &apple, moment) != price_at(other, &apple, moment)
        });
        assert!(differ.count() > 90, "two deployments share their prices");
    }

    #[test]
    fn daily_returns_have_about_the_listed_volatility() {
        for symbol in ["AAPL", "SPY", "TSLA", "KO"] {
            let listing = listing(symbol);
            let start = 1_700_000_000;
            let closes: Vec<f64> = (0..730)
                .map(|day| f64::try_from(price_at(SEED, &listing, at(start + day * 86_400)).amount()).unwrap())
                .collect();
            let returns: Vec<f64> = closes.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
            let mean = returns.iter().sum::<f64>() / returns.len() as f64;
            let daily = (returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / returns.len() as f64).sqrt();
            let annualized = daily * 365.25_f64.sqrt();
            let ratio = annualized / listing.volatility;
            assert!((0.6..1.6).contains(&ratio), "{symbol}: annualized {annualized:.3} vs {:.2}", listing.volatility);
            let low = closes.iter().cloned().fold(f64::MAX, f64::min);
            let high = closes.iter().cloned().fold(f64::MIN, f64::max);
            let reference = f64::try_from(listing.reference_price.amount()).unwrap();
            assert!(
                low > reference / 4.0 && high < reference * 4.0,
                "{symbol}: {low:.2}..{high:.2} around {reference}"
            );
        }
    }

    #[test]
    fn symbols_move_independently() {
        let (a, b) = (listing("AAPL"), listing("MSFT"));
        let same_direction = (0..200)
            .filter(|i| {
                let (t0, t1) = (at(1_790_000_000 + i * 3600), at(1_790_003_600 + i * 3600));
                (price_at(SEED, &a, t1) > price_at(SEED, &a, t0)) == (price_at(SEED, &b, t1) > price_at(SEED, &b, t0))
            })
            .count();
        assert!((60..140).contains(&same_direction), "{same_direction} of 200 hours moved together");
    }
}
