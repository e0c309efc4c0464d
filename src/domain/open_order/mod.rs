//! Orders that wait for a price: limit, stop, stop-limit and trailing stop, how long they wait
//! (time in force), what they hold back while they wait (the reservation), and, on each new
//! price, whether they fill and at what price — with the sentence that tells the learner why.
//! Pure, so the order form's preview, the matcher and the docs' worked examples run one set of
//! rules (docs/ORDERS.md, "Orders that wait").

pub mod form;
mod words;

use super::{Money, Shares, Side, Symbol};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How much above its stop a buy stop may fill before the reservation runs out: a stop turns
/// into a market order, and the price may gap past the stop. 5% of the stop price is reserved
/// on top (a gap beyond it fills only if the cash is there).
pub const STOP_RESERVE_PERCENT: u32 = 5;

/// How long a good-'til-cancelled order waits before it expires.
pub const GTC_DAYS: i64 = 90;

/// The largest trailing percentage: a trail wider than half the price is no stop at all.
const MAX_TRAIL_PERCENT: u32 = 50;

/// What triggers an order, and at what price it may fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderKind {
    /// At the current price, now.
    Market,
    /// At `limit` or better: a buy at or below it, a sell at or above it.
    Limit { limit: Money },
    /// Once the price trades through `stop` (up for a buy, down for a sell), at the market.
    Stop { stop: Money },
    /// Once the price trades through `stop`, at `limit` or better.
    StopLimit { stop: Money, limit: Money },
    /// A stop that follows the price: `trail` below the highest price since it was placed (a
    /// sell) or above the lowest (a buy).
    TrailingStop { trail: Trail },
}

/// A trailing stop's distance from its water mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trail {
    Dollars(Money),
    /// Whole percent, 1 to 50.
    Percent(u32),
}

/// How long an order waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeInForce {
    /// Until the trading session's close (with the market always open, the UTC day's end).
    Day,
    /// Good 'til cancelled: until cancelled, or [`GTC_DAYS`] days.
    Gtc,
}

/// An order as the learner placed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderTerms {
    pub symbol: Symbol,
    pub side: Side,
    pub quantity: Shares,
    pub kind: OrderKind,
    pub time_in_force: TimeInForce,
}

/// What an open order remembers between prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Watch {
    /// A stop-limit whose stop was hit: it now waits as a limit order.
    pub triggered: bool,
    /// A trailing stop's water mark: the highest price seen (a sell), the lowest (a buy).
    pub water_mark: Option<Money>,
}

/// What a new price does to an open order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// It keeps waiting, remembering this.
    Wait(Watch),
    /// It fills at `price`.
    Fill { price: Money, because: Because },
}

/// Why an order filled when it did: the condition the price met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Because {
    /// The price reached the limit (or better).
    ReachedLimit,
    /// The price traded through the stop.
    HitStop { stop: Money },
}

/// Why terms cannot be placed, in the learner's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TermsError {
    #[error("a limit or stop price must be more than $0.00")]
    NotPositive,
    #[error("a trailing stop trails by 1% to {MAX_TRAIL_PERCENT}%")]
    TrailPercent,
    #[error("{0}")]
    Pointless(String),
    #[error("that order is too large; try fewer shares")]
    TooLarge,
}

impl OrderKind {
    /// `market`, `limit`, `stop`, `stop_limit`, `trailing_stop`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Market => "market",
            OrderKind::Limit { .. } => "limit",
            OrderKind::Stop { .. } => "stop",
            OrderKind::StopLimit { .. } => "stop_limit",
            OrderKind::TrailingStop { .. } => "trailing_stop",
        }
    }

    /// The words for the ledger and receipts: "limit", "stop-limit", "trailing stop".
    pub fn label(self) -> &'static str {
        match self {
            OrderKind::Market => "market",
            OrderKind::Limit { .. } => "limit",
            OrderKind::Stop { .. } => "stop",
            OrderKind::StopLimit { .. } => "stop-limit",
            OrderKind::TrailingStop { .. } => "trailing stop",
        }
    }
}

impl Trail {
    /// The stop `self` away from `water_mark`, in whole cents, on the side that protects the
    /// learner: below the mark for a sell (rounded down), above it for a buy (rounded up).
    pub fn stop_from(self, water_mark: Money, side: Side) -> Money {
        let distance = match self {
            Trail::Dollars(amount) => amount.amount(),
            Trail::Percent(percent) => water_mark.amount() * Decimal::from(percent) / Decimal::ONE_HUNDRED,
        };
        let stop = match side {
            Side::Sell => (water_mark.amount() - distance).floor_cents(),
            Side::Buy => (water_mark.amount() + distance).ceil_cents(),
        };
        Money::from_decimal(stop.max(Decimal::ZERO))
    }

    /// "$2.50" or "5%".
    pub fn describe(self) -> String {
        match self {
            Trail::Dollars(amount) => amount.to_usd(),
            Trail::Percent(percent) => format!("{percent}%"),
        }
    }
}

/// Whole cents towards zero and away from it, for the stops a trail makes.
trait Cents {
    fn floor_cents(self) -> Decimal;
    fn ceil_cents(self) -> Decimal;
}

impl Cents for Decimal {
    fn floor_cents(self) -> Decimal {
        self.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToNegativeInfinity)
    }
    fn ceil_cents(self) -> Decimal {
        self.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToPositiveInfinity)
    }
}

impl OrderTerms {
    /// Checks the prices make an order that can wait: positive, a trail within bounds, and not
    /// one that would fill at once in a way a market order says better (a buy stop already
    /// below the price). `price` is the current quote.
    pub fn check(&self, price: Money) -> Result<(), TermsError> {
        let positive = |amount: Money| {
            if amount.is_negative() || amount.is_zero() {
                Err(TermsError::NotPositive)
            } else {
                Ok(())
            }
        };
        match self.kind {
            OrderKind::Market => Ok(()),
            OrderKind::Limit { limit } => positive(limit),
            OrderKind::Stop { stop } => {
                positive(stop)?;
                self.stop_ahead(stop, price)
            }
            OrderKind::StopLimit { stop, limit } => {
                positive(stop)?;
                positive(limit)?;
                self.stop_ahead(stop, price)
            }
            OrderKind::TrailingStop { trail: Trail::Dollars(amount) } => positive(amount),
            OrderKind::TrailingStop { trail: Trail::Percent(percent) } => {
                if (1..=MAX_TRAIL_PERCENT).contains(&percent) {
                    Ok(())
                } else {
                    Err(TermsError::TrailPercent)
                }
            }
        }
    }

    /// A stop must be on the far side of the price: above it for a buy, below for a sell.
    fn stop_ahead(&self, stop: Money, price: Money) -> Result<(), TermsError> {
        let (ahead, direction) = match self.side {
            Side::Buy => (stop > price, "above"),
            Side::Sell => (stop < price, "below"),
        };
        if ahead {
            Ok(())
        } else {
            Err(TermsError::Pointless(format!(
                "a {} stop must be {direction} the current price of {}; a market order does this now",
                self.side.as_str(),
                price.to_usd()
            )))
        }
    }

    /// What the order remembers when it is placed at `price`.
    pub fn first_watch(&self, price: Money) -> Watch {
        match self.kind {
            OrderKind::TrailingStop { .. } => Watch { triggered: false, water_mark: Some(price) },
            _ => Watch::default(),
        }
    }

    /// The most a buy may pay per share while it waits — its limit, or its stop plus
    /// [`STOP_RESERVE_PERCENT`] — and so what it holds back per share. `None` for a sell (it
    /// holds back shares) and a market order (it does not wait).
    pub fn worst_price(&self, watch: Watch) -> Option<Money> {
        if self.side == Side::Sell {
            return None;
        }
        let with_margin = |stop: Money| {
            Money::from_decimal(stop.amount() * Decimal::from(100 + STOP_RESERVE_PERCENT) / Decimal::ONE_HUNDRED)
        };
        match self.kind {
            OrderKind::Market => None,
            OrderKind::Limit { limit } | OrderKind::StopLimit { limit, .. } => Some(limit),
            OrderKind::Stop { stop } => Some(with_margin(stop)),
            OrderKind::TrailingStop { trail } => {
                watch.water_mark.map(|mark| with_margin(trail.stop_from(mark, Side::Buy)))
            }
        }
    }

    /// The cash a buy holds back while it waits: [`OrderTerms::worst_price`] for each share. A
    /// sell holds back shares instead (`quantity`), and no cash.
    pub fn reserved_cash(&self, watch: Watch) -> Result<Money, TermsError> {
        match self.worst_price(watch) {
            Some(per_share) => per_share.checked_times(self.quantity.get()).ok_or(TermsError::TooLarge),
            None => Ok(Money::ZERO),
        }
    }

    /// What `price` does to the order: fill (and at what price, and why), or wait.
    pub fn on_price(&self, watch: Watch, price: Money) -> Decision {
        let reaches = |limit: Money| match self.side {
            Side::Buy => price <= limit,
            Side::Sell => price >= limit,
        };
        let through = |stop: Money| match self.side {
            Side::Buy => price >= stop,
            Side::Sell => price <= stop,
        };
        // Every fill is at the quote itself: it is the limit or better when a limit is met, and
        // a stop that the price gapped through fills where the price is.
        let fill = |because| Decision::Fill { price, because };
        match self.kind {
            OrderKind::Market => fill(Because::ReachedLimit),
            OrderKind::Limit { limit } => {
                if reaches(limit) {
                    fill(Because::ReachedLimit)
                } else {
                    Decision::Wait(watch)
                }
            }
            OrderKind::Stop { stop } => {
                if through(stop) {
                    fill(Because::HitStop { stop })
                } else {
                    Decision::Wait(watch)
                }
            }
            OrderKind::StopLimit { stop, limit } => {
                let triggered = watch.triggered || through(stop);
                if triggered && reaches(limit) {
                    fill(Because::HitStop { stop })
                } else {
                    Decision::Wait(Watch { triggered, ..watch })
                }
            }
            OrderKind::TrailingStop { trail } => {
                let mark = watch.water_mark.unwrap_or(price);
                let stop = trail.stop_from(mark, self.side);
                if through(stop) {
                    return fill(Because::HitStop { stop });
                }
                let moved = match self.side {
                    Side::Sell => mark.max(price),
                    Side::Buy => mark.min(price),
                };
                Decision::Wait(Watch { water_mark: Some(moved), ..watch })
            }
        }
    }

    /// When the order stops waiting if nothing fills it: `close` is the end of the trading
    /// session it was placed in.
    pub fn expires_at(&self, placed_at: DateTime<Utc>, close: DateTime<Utc>) -> DateTime<Utc> {
        match self.time_in_force {
            TimeInForce::Day => close,
            TimeInForce::Gtc => placed_at + Duration::days(GTC_DAYS),
        }
    }
}

#[cfg(test)]
mod tests;
