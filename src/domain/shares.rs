//! Shares: a positive whole number of shares in one order or holding.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most shares one order may move. Large enough for any learner, small enough that
/// price × quantity stays far from any numeric limit.
pub const MAX_SHARES: i64 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Shares(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SharesError {
    #[error("enter a number of shares")]
    Empty,
    #[error("shares are whole numbers like 1, 5 or 120; fractions are not supported")]
    NotWhole,
    #[error("the number of shares must be at least 1")]
    NotPositive,
    #[error("at most {MAX_SHARES} shares can be traded at once")]
    TooMany,
}

impl Shares {
    pub fn new(count: i64) -> Result<Shares, SharesError> {
        match count {
            ..=0 => Err(SharesError::NotPositive),
            1..=MAX_SHARES => Ok(Shares(count)),
            _ => Err(SharesError::TooMany),
        }
    }

    /// Parses what a person typed; surrounding spaces and thousands separators are fine.
    pub fn parse(input: &str) -> Result<Shares, SharesError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SharesError::Empty);
        }
        let cleaned: String = trimmed.chars().filter(|c| *c != ',').collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(SharesError::NotWhole);
        }
        if negative {
            return Err(SharesError::NotPositive);
        }
        // Any run of digits too long for an i64 is certainly too many shares.
        digits.parse::<i64>().map_or(Err(SharesError::TooMany), Shares::new)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Shares {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<Shares> for i64 {
    fn from(shares: Shares) -> i64 {
        shares.0
    }
}

impl TryFrom<i64> for Shares {
    type Error = SharesError;
    fn try_from(count: i64) -> Result<Shares, SharesError> {
        Shares::new(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_whole_positive_counts() {
        assert_eq!(Shares::parse("1").map(Shares::get), Ok(1));
        assert_eq!(Shares::parse(" 1,000 ").map(Shares::get), Ok(1000));
        assert_eq!(Shares::new(MAX_SHARES).map(Shares::get), Ok(MAX_SHARES));
    }

    #[test]
    fn rejects_anything_else_with_a_reason() {
        assert_eq!(Shares::parse(""), Err(SharesError::Empty));
        assert_eq!(Shares::parse("0"), Err(SharesError::NotPositive));
        assert_eq!(Shares::parse("-3"), Err(SharesError::NotPositive));
        assert_eq!(Shares::parse("1.5"), Err(SharesError::NotWhole));
        assert_eq!(Shares::parse("ten"), Err(SharesError::NotWhole));
        assert_eq!(Shares::parse("٣"), Err(SharesError::NotWhole));
        assert_eq!(Shares::parse("1000001"), Err(SharesError::TooMany));
        assert_eq!(Shares::parse("99999999999999999999999"), Err(SharesError::TooMany));
        assert_eq!(Shares::new(i64::MIN), Err(SharesError::NotPositive));
    }

    #[test]
    fn travels_as_a_json_integer() {
        assert_eq!(serde_json::to_string(&Shares::new(7).unwrap()).unwrap(), "7");
        assert!(serde_json::from_str::<Shares>("0").is_err());
    }
}
