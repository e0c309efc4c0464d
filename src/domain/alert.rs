//! Price alerts: a learner asks to be told when a stock rises above or falls below a price.
//!
//! An alert fires when the price *crosses* its threshold, so a new alert must sit on the far side
//! of the current price ([`check_new`]); after that, [`is_crossed`] says when it fires. The coach
//! writes the notification ([`super::coach::price_alert`]).

use super::Money;
use serde::{Deserialize, Serialize};

/// The highest price an alert may watch for, in dollars.
pub const MAX_THRESHOLD_DOLLARS: i64 = 1_000_000;

/// Whether an alert fires when the price rises to its threshold or falls to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AlertDirection {
    Above,
    Below,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("choose whether the alert fires above or below a price")]
    Direction,
    #[error("enter a price like 150 or 150.25")]
    NotAPrice,
    #[error("enter a price in whole cents, with at most two decimals, like 150.25")]
    TooPrecise,
    #[error("enter a price greater than $0.00")]
    NotPositive,
    #[error("enter a price of at most $1,000,000.00")]
    TooHigh,
    #[error("{}", already_past(symbol, *direction, *price))]
    AlreadyPast { symbol: String, direction: AlertDirection, price: Money },
}

fn already_past(symbol: &str, direction: AlertDirection, price: Money) -> String {
    let article = match direction {
        AlertDirection::Above => "an",
        AlertDirection::Below => "a",
    };
    let side = direction.as_str();
    format!("{symbol} is already at {} — pick a price {side} it for {article} “{side}” alert", price.to_usd())
}

impl AlertDirection {
    pub const ALL: [AlertDirection; 2] = [AlertDirection::Above, AlertDirection::Below];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertDirection::Above => "above",
            AlertDirection::Below => "below",
        }
    }

    /// Parses `above` or `below`, ignoring case and surrounding spaces.
    pub fn parse(text: &str) -> Result<AlertDirection, AlertError> {
        let text = text.trim();
        AlertDirection::ALL.into_iter().find(|d| d.as_str().eq_ignore_ascii_case(text)).ok_or(AlertError::Direction)
    }
}

impl std::fmt::Display for AlertDirection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses the price an alert watches for, the way [`Money::parse`] reads amounts (`$` and
/// thousands separators are fine): more than zero, whole cents, at most $1,000,000.00.
pub fn parse_threshold(text: &str) -> Result<Money, AlertError> {
    use super::money::MoneyError;
    let price = Money::parse(text).map_err(|error| match error {
        MoneyError::Empty | MoneyError::NotANumber(_) => AlertError::NotAPrice,
        MoneyError::TooPrecise => AlertError::TooPrecise,
        MoneyError::TooLarge => AlertError::TooHigh,
        MoneyError::Negative => AlertError::NotPositive,
    })?;
    if price.is_negative() || price.is_zero() {
        return Err(AlertError::NotPositive);
    }
    if price > Money::from_cents(MAX_THRESHOLD_DOLLARS * 100) {
        return Err(AlertError::TooHigh);
    }
    Ok(price)
}

/// Whether `price` has reached the alert's threshold: at or above it for `Above`, at or below it
/// for `Below`.
pub fn is_crossed(direction: AlertDirection, threshold: Money, price: Money) -> bool {
    match direction {
        AlertDirection::Above => price >= threshold,
        AlertDirection::Below => price <= threshold,
    }
}

/// Checks that a new alert on `symbol` waits for the price to cross: an `Above` threshold must be
/// higher than the current price, a `Below` threshold lower.
pub fn check_new(
    symbol: &str,
    direction: AlertDirection,
    threshold: Money,
    current_price: Money,
) -> Result<(), AlertError> {
    let waits = match direction {
        AlertDirection::Above => threshold > current_price,
        AlertDirection::Below => threshold < current_price,
    };
    if waits {
        Ok(())
    } else {
        Err(AlertError::AlreadyPast { symbol: symbol.to_owned(), direction, price: current_price })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::money;

    #[test]
    fn a_direction_is_above_or_below_in_any_case() {
        assert_eq!(AlertDirection::parse("above"), Ok(AlertDirection::Above));
        assert_eq!(AlertDirection::parse("  BeLoW "), Ok(AlertDirection::Below));
        assert_eq!(AlertDirection::parse("sideways"), Err(AlertError::Direction));
        assert_eq!(AlertDirection::parse(""), Err(AlertError::Direction));
        for direction in AlertDirection::ALL {
            assert_eq!(AlertDirection::parse(direction.as_str()), Ok(direction));
        }
    }

    #[test]
    fn a_missing_direction_says_what_to_choose() {
        assert_eq!(AlertError::Direction.to_string(), "choose whether the alert fires above or below a price");
    }

    #[test]
    fn a_threshold_reads_like_money() {
        assert_eq!(parse_threshold("150"), Ok(money("150")));
        assert_eq!(parse_threshold(" $1,150.25 "), Ok(money("1150.25")));
        assert_eq!(parse_threshold("0.01"), Ok(money("0.01")));
        assert_eq!(parse_threshold("1000000"), Ok(money("1000000")));
    }

    #[test]
    fn a_threshold_must_be_a_positive_price_in_cents_up_to_a_million() {
        assert_eq!(parse_threshold(""), Err(AlertError::NotAPrice));
        assert_eq!(parse_threshold("abc"), Err(AlertError::NotAPrice));
        assert_eq!(parse_threshold("150.255"), Err(AlertError::TooPrecise));
        assert_eq!(parse_threshold("0"), Err(AlertError::NotPositive));
        assert_eq!(parse_threshold("-5"), Err(AlertError::NotPositive));
        assert_eq!(parse_threshold("1000000.01"), Err(AlertError::TooHigh));
        assert_eq!(parse_threshold("99999999999999999"), Err(AlertError::TooHigh));
    }

    #[test]
    fn threshold_errors_read_as_instructions() {
        assert_eq!(AlertError::NotAPrice.to_string(), "enter a price like 150 or 150.25");
        assert_eq!(AlertError::NotPositive.to_string(), "enter a price greater than $0.00");
        assert_eq!(AlertError::TooHigh.to_string(), "enter a price of at most $1,000,000.00");
    }

    #[test]
    fn an_above_alert_is_crossed_at_or_over_its_threshold() {
        let threshold = money("200");
        assert!(!is_crossed(AlertDirection::Above, threshold, money("199.99")));
        assert!(is_crossed(AlertDirection::Above, threshold, money("200.00")));
        assert!(is_crossed(AlertDirection::Above, threshold, money("250")));
    }

    #[test]
    fn a_below_alert_is_crossed_at_or_under_its_threshold() {
        let threshold = money("150");
        assert!(!is_crossed(AlertDirection::Below, threshold, money("150.01")));
        assert!(is_crossed(AlertDirection::Below, threshold, money("150.00")));
        assert!(is_crossed(AlertDirection::Below, threshold, money("100")));
    }

    #[test]
    fn a_new_alert_must_wait_on_the_far_side_of_the_price() {
        let price = money("190");
        assert_eq!(check_new("AAPL", AlertDirection::Above, money("190.01"), price), Ok(()));
        assert_eq!(check_new("AAPL", AlertDirection::Below, money("189.99"), price), Ok(()));
        for threshold in [money("190"), money("150")] {
            assert!(check_new("AAPL", AlertDirection::Above, threshold, price).is_err());
        }
        for threshold in [money("190"), money("250")] {
            assert!(check_new("AAPL", AlertDirection::Below, threshold, price).is_err());
        }
    }

    #[test]
    fn an_alert_already_past_names_the_symbol_and_the_price() {
        let above = check_new("AAPL", AlertDirection::Above, money("150"), money("190")).unwrap_err();
        assert_eq!(above.to_string(), "AAPL is already at $190.00 — pick a price above it for an “above” alert");
        let below = check_new("MSFT", AlertDirection::Below, money("1500"), money("1234.5")).unwrap_err();
        assert_eq!(below.to_string(), "MSFT is already at $1,234.50 — pick a price below it for a “below” alert");
    }
}
