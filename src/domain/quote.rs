//! Market data as the simulator shows it: quotes with their as-of time, and chart ranges.

use super::{Money, Symbol};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The latest price of a symbol, when it was true, and the close it is compared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub symbol: Symbol,
    pub price: Money,
    pub previous_close: Money,
    pub as_of: DateTime<Utc>,
}

impl Quote {
    /// Price minus the previous close.
    pub fn change(&self) -> Money {
        Money::from_decimal(self.price.amount() - self.previous_close.amount())
    }

    /// The change as a percentage of the previous close.
    pub fn change_percent(&self) -> Percent {
        Percent::of(self.price.amount() - self.previous_close.amount(), self.previous_close.amount())
    }
}

/// A percentage with two decimals, exact; a string on the wire like [`Money`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent(Decimal);

impl Percent {
    /// `part` as a percentage of `whole`, rounded to two decimals; zero when `whole` is zero.
    pub fn of(part: Decimal, whole: Decimal) -> Percent {
        if whole.is_zero() {
            return Percent(Decimal::ZERO);
        }
        Percent((part * Decimal::ONE_HUNDRED / whole).round_dp(2))
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// With an explicit sign, for changes: `+1.25%`, `−0.40%`, `0.00%`.
    pub fn signed(self) -> String {
        match self.0.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => format!("+{self}%"),
            std::cmp::Ordering::Less => format!("−{}%", Percent(self.0.abs())),
            std::cmp::Ordering::Equal => "0.00%".to_owned(),
        }
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl From<Percent> for String {
    fn from(percent: Percent) -> String {
        percent.to_string()
    }
}

impl TryFrom<String> for Percent {
    type Error = rust_decimal::Error;
    fn try_from(text: String) -> Result<Percent, Self::Error> {
        text.parse::<Decimal>().map(Percent)
    }
}

/// One point of a price or value chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePoint {
    pub at: DateTime<Utc>,
    pub price: Money,
}

/// At most `max` of `points`, evenly spread, always keeping the first and the last (`max` ≥ 2).
pub fn thin<T>(points: Vec<T>, max: usize) -> Vec<T> {
    let len = points.len();
    if len <= max || max < 2 {
        return points;
    }
    // Keep index i·(len−1)/(max−1) for i in 0..max: strictly increasing since len > max.
    let mut keep = (0..max).map(|i| i * (len - 1) / (max - 1)).peekable();
    points
        .into_iter()
        .enumerate()
        .filter_map(|(index, point)| {
            (keep.peek() == Some(&index)).then(|| {
                keep.next();
                point
            })
        })
        .collect()
}

/// How far back a chart looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChartRange {
    #[default]
    Day,
    Week,
    Month,
    Year,
}

impl ChartRange {
    pub const ALL: [ChartRange; 4] = [ChartRange::Day, ChartRange::Week, ChartRange::Month, ChartRange::Year];

    pub fn label(self) -> &'static str {
        match self {
            ChartRange::Day => "1D",
            ChartRange::Week => "1W",
            ChartRange::Month => "1M",
            ChartRange::Year => "1Y",
        }
    }

    /// The time covered and the spacing of its points: 5 minutes over a day, hourly over a week,
    /// every 4 hours over a month, daily over a year (≤ 365 points each).
    pub fn span_and_step(self) -> (Duration, Duration) {
        match self {
            ChartRange::Day => (Duration::days(1), Duration::minutes(5)),
            ChartRange::Week => (Duration::days(7), Duration::hours(1)),
            ChartRange::Month => (Duration::days(30), Duration::hours(4)),
            ChartRange::Year => (Duration::days(365), Duration::days(1)),
        }
    }

    /// The times to sample, oldest first, on whole steps, ending exactly at `now`.
    pub fn sample_times(self, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let (span, step) = self.span_and_step();
        let step_secs = step.num_seconds();
        let start = (now - span).timestamp().div_euclid(step_secs) * step_secs + step_secs;
        let mut times: Vec<DateTime<Utc>> = (0..)
            .map(|i| start + i * step_secs)
            .take_while(|t| *t < now.timestamp())
            .filter_map(|t| DateTime::from_timestamp(t, 0))
            .collect();
        times.push(now);
        times
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_and_percent_are_exact() {
        let quote = Quote {
            symbol: Symbol::parse("AAPL").unwrap(),
            price: Money::parse("101.50").unwrap(),
            previous_close: Money::parse("100.00").unwrap(),
            as_of: Utc::now(),
        };
        assert_eq!(quote.change(), Money::parse("1.50").unwrap());
        assert_eq!(quote.change_percent().to_string(), "1.50");
        assert_eq!(quote.change_percent().signed(), "+1.50%");
        assert_eq!(Percent::of(Decimal::ONE, Decimal::ZERO).signed(), "0.00%");
        assert_eq!(Percent::of(-Decimal::ONE, Decimal::from(3)).signed(), "−33.33%");
    }

    #[test]
    fn samples_cover_the_range_on_whole_steps() {
        let now = DateTime::from_timestamp(1_790_000_123, 0).unwrap();
        let day = ChartRange::Day.sample_times(now);
        assert_eq!(day.len(), 289);
        assert_eq!(*day.last().unwrap(), now);
        assert!(day[..day.len() - 1].iter().all(|t| t.timestamp() % 300 == 0));
        assert!(day.first().unwrap() > &(now - Duration::days(1)));
        for range in ChartRange::ALL {
            let times = range.sample_times(now);
            assert!(times.len() <= 366, "{range:?}: {}", times.len());
            assert!(times.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn thinning_keeps_the_ends_and_spreads_the_rest() {
        assert_eq!(thin((0..10).collect(), 4), [0, 3, 6, 9]);
        assert_eq!(thin((0..3).collect(), 4), [0, 1, 2]);
        let thinned = thin((0..1000).collect::<Vec<_>>(), 400);
        assert_eq!((thinned.len(), thinned[0], thinned[399]), (400, 0, 999));
    }
}
