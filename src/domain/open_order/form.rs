//! Reading the order form's fields into an order kind and a time in force — one reading for the
//! server function that places the order and the form's live preview.

use super::{OrderKind, TimeInForce, Trail};
use crate::domain::Money;

/// The price fields of the order form, as typed. Fields the chosen kind does not use are ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct PriceFields<'a> {
    /// `market`, `limit`, `stop`, `stop_limit` or `trailing_stop`.
    pub kind: &'a str,
    pub limit_price: &'a str,
    pub stop_price: &'a str,
    /// A trailing stop's distance: dollars, or whole percent when `trail_unit` is `percent`.
    pub trail: &'a str,
    pub trail_unit: &'a str,
}

/// A field the learner has to fix, and what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl ToString) -> FieldError {
        FieldError { field, message: message.to_string() }
    }
}

impl PriceFields<'_> {
    /// The kind of order these fields describe.
    pub fn kind(&self) -> Result<OrderKind, FieldError> {
        let price = |field: &'static str, input: &str| {
            Money::parse_non_negative(input).map_err(|error| FieldError::new(field, error))
        };
        match self.kind.trim() {
            "" | "market" => Ok(OrderKind::Market),
            "limit" => Ok(OrderKind::Limit { limit: price("limit_price", self.limit_price)? }),
            "stop" => Ok(OrderKind::Stop { stop: price("stop_price", self.stop_price)? }),
            "stop_limit" => Ok(OrderKind::StopLimit {
                stop: price("stop_price", self.stop_price)?,
                limit: price("limit_price", self.limit_price)?,
            }),
            "trailing_stop" if self.trail_unit.trim() == "percent" => {
                let percent = self.trail.trim().trim_end_matches('%').trim();
                let percent =
                    percent.parse::<u32>().map_err(|_| FieldError::new("trail", "enter a whole percent, like 5"))?;
                Ok(OrderKind::TrailingStop { trail: Trail::Percent(percent) })
            }
            "trailing_stop" => Ok(OrderKind::TrailingStop { trail: Trail::Dollars(price("trail", self.trail)?) }),
            _ => Err(FieldError::new("kind", "choose market, limit, stop, stop-limit or trailing stop")),
        }
    }
}

/// `day` or `gtc`; anything else is a field error.
pub fn time_in_force(input: &str) -> Result<TimeInForce, FieldError> {
    match input.trim() {
        "" | "day" => Ok(TimeInForce::Day),
        "gtc" => Ok(TimeInForce::Gtc),
        _ => Err(FieldError::new("time_in_force", "choose “today only” or “until cancelled”")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(kind: &'a str, limit_price: &'a str, stop_price: &'a str, trail: &'a str) -> PriceFields<'a> {
        PriceFields { kind, limit_price, stop_price, trail, trail_unit: "dollars" }
    }

    #[test]
    fn each_kind_reads_only_its_own_fields() {
        assert_eq!(fields("market", "x", "x", "x").kind(), Ok(OrderKind::Market));
        assert_eq!(fields("limit", "$95.00", "x", "x").kind(), Ok(OrderKind::Limit { limit: Money::from_cents(9500) }));
        assert_eq!(fields("stop", "x", "90", "x").kind(), Ok(OrderKind::Stop { stop: Money::from_cents(9000) }));
        assert_eq!(
            fields("stop_limit", "89.50", "90", "").kind(),
            Ok(OrderKind::StopLimit { stop: Money::from_cents(9000), limit: Money::from_cents(8950) })
        );
        assert_eq!(
            fields("trailing_stop", "", "", "2.50").kind(),
            Ok(OrderKind::TrailingStop { trail: Trail::Dollars(Money::from_cents(250)) })
        );
        let percent = PriceFields { trail_unit: "percent", ..fields("trailing_stop", "", "", " 5% ") };
        assert_eq!(percent.kind(), Ok(OrderKind::TrailingStop { trail: Trail::Percent(5) }));
    }

    #[test]
    fn a_bad_price_names_its_field() {
        assert_eq!(fields("limit", "", "", "").kind().unwrap_err().field, "limit_price");
        assert_eq!(fields("stop_limit", "1", "abc", "").kind().unwrap_err().field, "stop_price");
        assert_eq!(fields("limit", "-3", "", "").kind().unwrap_err().message, "the amount cannot be negative");
        let percent = PriceFields { trail_unit: "percent", ..fields("trailing_stop", "", "", "2.5") };
        assert_eq!(percent.kind().unwrap_err().field, "trail");
        assert_eq!(fields("iceberg", "", "", "").kind().unwrap_err().field, "kind");
    }

    #[test]
    fn time_in_force_defaults_to_the_day() {
        assert_eq!(time_in_force(""), Ok(TimeInForce::Day));
        assert_eq!(time_in_force("gtc"), Ok(TimeInForce::Gtc));
        assert_eq!(time_in_force("forever").unwrap_err().field, "time_in_force");
    }
}
