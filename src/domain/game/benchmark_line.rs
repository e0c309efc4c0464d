//! The game's benchmark over time, for the chart a finished game draws under each player's value:
//! the starting cash put into the benchmark fund at the game's start, valued at every price
//! between the start and the end — the same line whose last point is the leaderboard's
//! reference row.

use crate::domain::quote::PricePoint;
use crate::domain::Money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// A price at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceAt {
    pub at: DateTime<Utc>,
    pub price: Decimal,
}

/// `starting_cash` in the fund bought at `start` and held until `end`, valued at `start`, at every
/// point of `between` strictly inside the two moments (in time order, whatever order they came
/// in), and at `end`. Empty when the start price is not positive (nothing could be bought).
pub fn benchmark_line(starting_cash: Money, start: PriceAt, end: PriceAt, between: &[PricePoint]) -> Vec<PricePoint> {
    if start.price <= Decimal::ZERO {
        return Vec::new();
    }
    let value = |at: DateTime<Utc>, price: Decimal| PricePoint {
        at,
        price: Money::from_decimal(starting_cash.amount() * price / start.price),
    };
    let mut inside: Vec<&PricePoint> =
        between.iter().filter(|point| point.at > start.at && point.at < end.at).collect();
    inside.sort_by_key(|point| point.at);
    std::iter::once(value(start.at, start.price))
        .chain(inside.into_iter().map(|point| value(point.at, point.price.amount())))
        .chain(std::iter::once(value(end.at, end.price)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use rust_decimal_macros::dec;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 14, 30, 0).unwrap() + Duration::hours(hours)
    }

    fn point(hours: i64, price: Decimal) -> PricePoint {
        PricePoint { at: at(hours), price: Money::from_decimal(price) }
    }

    fn dollars(line: &[PricePoint]) -> Vec<(i64, String)> {
        line.iter().map(|p| ((p.at - at(0)).num_hours(), p.price.to_usd())).collect()
    }

    #[test]
    fn the_cash_follows_the_fund_from_the_start_price_to_the_end_price_rounded_to_cents() {
        let start = PriceAt { at: at(0), price: dec!(680) };
        let end = PriceAt { at: at(48), price: dec!(714) };
        // Out of order, one at the start and one after the end: only the two inside are used.
        let between = [point(24, dec!(700)), point(0, dec!(1)), point(3, dec!(681.13)), point(49, dec!(1))];
        let line = benchmark_line(Money::from_decimal(dec!(10000)), start, end, &between);
        assert_eq!(
            dollars(&line),
            [
                (0, "$10,000.00".to_owned()),
                (3, "$10,016.62".to_owned()), // 10,000 × 681.13 / 680 = 10,016.617…
                (24, "$10,294.12".to_owned()),
                (48, "$10,500.00".to_owned()),
            ]
        );
    }

    #[test]
    fn without_prices_between_the_line_is_the_start_and_the_end() {
        let (start, end) = (PriceAt { at: at(0), price: dec!(50) }, PriceAt { at: at(1), price: dec!(45) });
        let line = benchmark_line(Money::from_decimal(dec!(2500)), start, end, &[]);
        assert_eq!(dollars(&line), [(0, "$2,500.00".to_owned()), (1, "$2,250.00".to_owned())]);
    }

    #[test]
    fn a_start_price_of_zero_draws_no_line() {
        let (start, end) = (PriceAt { at: at(0), price: Decimal::ZERO }, PriceAt { at: at(1), price: dec!(45) });
        assert!(benchmark_line(Money::from_decimal(dec!(2500)), start, end, &[point(0, dec!(1))]).is_empty());
    }
}
