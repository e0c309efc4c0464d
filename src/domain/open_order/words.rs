//! The sentences of open orders: the preview of what an order will do, and why it filled.

use super::{Because, OrderKind, OrderTerms, Watch};
use crate::domain::{Money, Shares, Side};

impl OrderTerms {
    /// One sentence saying what will happen: "If AAPL falls to $170.00 or below, sell 10
    /// shares at the market price."
    pub fn preview(&self, watch: Watch) -> String {
        let shares = shares(self.quantity);
        let (verb, symbol) = (self.side.as_str(), &self.symbol);
        let (falls, rises) = ("falls to", "rises to");
        let (toward_limit, below_or_above) = match self.side {
            Side::Buy => (falls, "or below"),
            Side::Sell => (rises, "or above"),
        };
        let (toward_stop, stop_side) = match self.side {
            Side::Buy => (rises, "or above"),
            Side::Sell => (falls, "or below"),
        };
        match self.kind {
            OrderKind::Market => format!("{} {shares} of {symbol} now, at the market price.", capitalized(verb)),
            OrderKind::Limit { limit } => format!(
                "If {symbol} {toward_limit} {} {below_or_above}, {verb} {shares} at that price or better.",
                limit.to_usd()
            ),
            OrderKind::Stop { stop } => {
                format!("If {symbol} {toward_stop} {} {stop_side}, {verb} {shares} at the market price.", stop.to_usd())
            }
            OrderKind::StopLimit { stop, limit } => format!(
                "If {symbol} {toward_stop} {} {stop_side}, {verb} {shares} at {} or better.",
                stop.to_usd(),
                limit.to_usd()
            ),
            OrderKind::TrailingStop { trail } => {
                let (extreme, direction) = match self.side {
                    Side::Sell => ("highest", "below"),
                    Side::Buy => ("lowest", "above"),
                };
                let now = watch
                    .water_mark
                    .map(|mark| format!(" (today that is {})", trail.stop_from(mark, self.side).to_usd()));
                format!(
                    "If {symbol} {toward_stop} {} its {extreme} price since now{}, {verb} {shares} at the market price.",
                    format_args!("{} {direction}", trail.describe()),
                    now.unwrap_or_default()
                )
            }
        }
    }

    /// Why it filled, for the receipt, the ledger and the notification: "Your limit buy of 5
    /// AAPL at $180.00 filled at $179.42 because the price fell to $179.42."
    pub fn fill_reason(&self, price: Money, because: Because) -> String {
        let name = match self.kind {
            OrderKind::Limit { limit } | OrderKind::StopLimit { limit, .. } => {
                format!(
                    "{} {} of {} {} at {}",
                    self.kind.label(),
                    self.side.as_str(),
                    self.quantity.get(),
                    self.symbol,
                    limit.to_usd()
                )
            }
            OrderKind::Stop { stop } => {
                format!("stop {} of {} {} at {}", self.side.as_str(), self.quantity.get(), self.symbol, stop.to_usd())
            }
            OrderKind::TrailingStop { trail } => format!(
                "trailing stop {} of {} {} ({} trail)",
                self.side.as_str(),
                self.quantity.get(),
                self.symbol,
                trail.describe()
            ),
            OrderKind::Market => format!("market {} of {} {}", self.side.as_str(), self.quantity.get(), self.symbol),
        };
        let moved = match (because, self.side) {
            (Because::ReachedLimit, Side::Buy) => format!("the price fell to {}", price.to_usd()),
            (Because::ReachedLimit, Side::Sell) => format!("the price rose to {}", price.to_usd()),
            (Because::HitStop { stop }, Side::Sell) => {
                format!("the price fell to {}, through the stop at {}", price.to_usd(), stop.to_usd())
            }
            (Because::HitStop { stop }, Side::Buy) => {
                format!("the price rose to {}, through the stop at {}", price.to_usd(), stop.to_usd())
            }
        };
        format!("Your {name} filled at {} because {moved}.", price.to_usd())
    }
}

fn shares(quantity: Shares) -> String {
    match quantity.get() {
        1 => "1 share".to_owned(),
        n => format!("{n} shares"),
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
