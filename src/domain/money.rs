//! Money: an exact decimal amount of US dollars, always held to whole cents.
//!
//! Every rounding decision of the app lives here: amounts are rounded to cents with
//! "half away from zero" (what a learner expects from a receipt) in [`Money::from_decimal`].

use super::number::group_thousands;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Digits after the decimal point that money is kept to.
pub const CENT_SCALE: u32 = 2;

/// The largest amount the app accepts from a person: one trillion dollars.
const MAX_INPUT_DOLLARS: i64 = 1_000_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("enter an amount")]
    Empty,
    #[error("“{0}” is not an amount of money; use digits like 1234.56")]
    NotANumber(String),
    #[error("amounts have at most two decimal places (whole cents)")]
    TooPrecise,
    #[error("the amount is too large; the most accepted is $1,000,000,000,000")]
    TooLarge,
    #[error("the amount cannot be negative")]
    Negative,
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Rounds any decimal to whole cents, half away from zero. The one rounding rule of the app.
    pub fn from_decimal(amount: Decimal) -> Money {
        Money(amount.round_dp_with_strategy(CENT_SCALE, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, CENT_SCALE))
    }

    /// Parses an amount a person typed: optional `$`, thousands separators and surrounding
    /// spaces are accepted; more than two decimals, exponents and signs other than a leading
    /// minus are not.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let digits: String = unsigned.strip_prefix('$').unwrap_or(unsigned).chars().filter(|c| *c != ',').collect();
        let well_formed = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|c| *c == '.').count() <= 1
            && digits.chars().any(|c| c.is_ascii_digit());
        if !well_formed {
            return Err(MoneyError::NotANumber(trimmed.chars().take(40).collect()));
        }
        if digits.split('.').nth(1).is_some_and(|cents| cents.len() > CENT_SCALE as usize) {
            return Err(MoneyError::TooPrecise);
        }
        let amount = Decimal::from_str(&digits).map_err(|_| MoneyError::TooLarge)?;
        if amount > Decimal::from(MAX_INPUT_DOLLARS) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(if negative { -amount } else { amount }))
    }

    /// Like [`Money::parse`], for amounts that may not be below zero (cash, prices).
    pub fn parse_non_negative(input: &str) -> Result<Money, MoneyError> {
        let money = Money::parse(input)?;
        if money.is_negative() {
            return Err(MoneyError::Negative);
        }
        Ok(money)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// The cost of `quantity` units at this price, rounded to cents.
    pub fn checked_times(self, quantity: i64) -> Option<Money> {
        self.0.checked_mul(Decimal::from(quantity)).map(Money::from_decimal)
    }

    /// How many whole units priced at `price` this amount buys (zero for a non-positive price).
    pub fn whole_units_at(self, price: Money) -> i64 {
        if price.0 <= Decimal::ZERO || self.0 <= Decimal::ZERO {
            return 0;
        }
        (self.0 / price.0).floor().try_into().unwrap_or(i64::MAX)
    }

    /// Formats a change with an explicit sign: `+$12.50`, `−$0.40`, `$0.00`.
    pub fn to_signed_usd(self) -> String {
        let magnitude = Money(self.0.abs()).to_usd();
        match self.0.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => format!("+{magnitude}"),
            std::cmp::Ordering::Less => format!("−{magnitude}"),
            std::cmp::Ordering::Equal => magnitude,
        }
    }

    /// Formats for people: `$1,234.56`, `-$0.50`.
    pub fn to_usd(self) -> String {
        let cents = self.0.abs().round_dp(CENT_SCALE);
        let text = format!("{cents:.2}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}${}.{fraction}", group_thousands(whole))
    }
}

/// The wire and storage form: a plain decimal string with two places, e.g. `"1234.50"`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl From<Money> for String {
    fn from(money: Money) -> String {
        money.to_string()
    }
}

impl TryFrom<String> for Money {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Money, MoneyError> {
        Money::parse(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_plain_and_formatted_amounts() {
        assert_eq!(Money::parse("1234.56"), Ok(Money::from_cents(123_456)));
        assert_eq!(Money::parse(" $1,234.5 "), Ok(Money::from_cents(123_450)));
        assert_eq!(Money::parse("-0.25"), Ok(Money::from_cents(-25)));
        assert_eq!(Money::parse(".5"), Ok(Money::from_cents(50)));
        assert_eq!(Money::parse("10000"), Ok(Money::from_cents(1_000_000)));
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        assert_eq!(Money::parse("  "), Err(MoneyError::Empty));
        assert!(matches!(Money::parse("12abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Money::parse("1e5"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Money::parse("1.2.3"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Money::parse("$"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Money::parse("--1"), Err(MoneyError::NotANumber(_))));
        assert_eq!(Money::parse("0.001"), Err(MoneyError::TooPrecise));
        assert_eq!(Money::parse("1000000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("99999999999999999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse_non_negative("-1"), Err(MoneyError::Negative));
    }

    #[test]
    fn rounds_half_away_from_zero_to_cents() {
        assert_eq!(Money::from_decimal(dec!(0.005)), Money::from_cents(1));
        assert_eq!(Money::from_decimal(dec!(0.004999)), Money::ZERO);
        assert_eq!(Money::from_decimal(dec!(-0.005)), Money::from_cents(-1));
        assert_eq!(Money::from_decimal(dec!(2.675)), Money::from_cents(268));
    }

    #[test]
    fn multiplies_by_a_quantity_exactly() {
        let price = Money::parse("190.10").unwrap();
        assert_eq!(price.checked_times(3), Some(Money::from_cents(57_030)));
        // 0.1 + 0.2 is exactly 0.3 here, unlike with floats.
        let sum = Money::parse("0.1").unwrap().checked_add(Money::parse("0.2").unwrap());
        assert_eq!(sum, Some(Money::parse("0.3").unwrap()));
    }

    #[test]
    fn counts_whole_units_a_budget_buys() {
        let cash = Money::from_cents(1_000_000);
        assert_eq!(cash.whole_units_at(Money::parse("190.00").unwrap()), 52);
        assert_eq!(cash.whole_units_at(Money::parse("10000").unwrap()), 1);
        assert_eq!(cash.whole_units_at(Money::parse("10000.01").unwrap()), 0);
        assert_eq!(cash.whole_units_at(Money::ZERO), 0);
        assert_eq!(Money::ZERO.whole_units_at(Money::from_cents(1)), 0);
    }

    #[test]
    fn formats_for_people_and_for_the_wire() {
        assert_eq!(Money::from_cents(123_456_789).to_usd(), "$1,234,567.89");
        assert_eq!(Money::from_cents(-50).to_usd(), "-$0.50");
        assert_eq!(Money::from_cents(100).to_usd(), "$1.00");
        assert_eq!(Money::from_cents(100_000).to_usd(), "$1,000.00");
        assert_eq!(Money::from_cents(123_450).to_string(), "1234.50");
    }

    #[test]
    fn serializes_as_a_string() {
        let json = serde_json::to_string(&Money::from_cents(1_000_000)).unwrap();
        assert_eq!(json, "\"10000.00\"");
        let back: Money = serde_json::from_str("\"0.10\"").unwrap();
        assert_eq!(back, Money::from_cents(10));
        assert!(serde_json::from_str::<Money>("\"0.001\"").is_err());
    }
}
