//! Finnhub's JSON shapes and their translation into domain types, pure and unit-tested.
//!
//! `GET /quote` answers `{"c":261.74,"d":0.28,"dp":0.107,"h":263.31,"l":260.68,"o":261.07,
//! "pc":261.46,"t":1582641000}` (current, change, percent, high, low, open, previous close, unix
//! seconds); a symbol it does not know gets zeros. `GET /stock/candle` answers parallel arrays
//! `{"c":[..],"t":[..],..,"s":"ok"}` or `{"s":"no_data"}`.

use crate::domain::quote::{ChartRange, PricePoint, Quote};
use crate::domain::{Money, Symbol};
use chrono::DateTime;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;

#[derive(Debug, Deserialize)]
pub struct QuoteBody {
    c: Option<f64>,
    pc: Option<f64>,
    t: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct CandleBody {
    s: String,
    #[serde(default)]
    c: Vec<f64>,
    #[serde(default)]
    t: Vec<i64>,
}

/// The quote in `body`, or `None` when Finnhub has no price (zeros, as for an unknown symbol).
pub fn quote(symbol: &Symbol, body: &QuoteBody) -> Option<Quote> {
    let price = money(body.c?)?;
    let as_of = DateTime::from_timestamp(body.t.filter(|t| *t > 0)?, 0)?;
    // A listing without a previous close (its first day) shows no change rather than +100%.
    let previous_close = body.pc.and_then(money).unwrap_or(price);
    Some(Quote { symbol: symbol.clone(), price, previous_close, as_of })
}

/// The closes in `body`, oldest first; `no_data` is an empty chart, not an error.
pub fn candles(body: &CandleBody) -> Result<Vec<PricePoint>, String> {
    match body.s.as_str() {
        "no_data" => return Ok(Vec::new()),
        "ok" => {}
        other => return Err(format!("candle status {other:?}")),
    }
    if body.c.len() != body.t.len() {
        return Err(format!("{} closes for {} times", body.c.len(), body.t.len()));
    }
    let mut points: Vec<PricePoint> = body
        .t
        .iter()
        .zip(&body.c)
        .filter_map(|(&t, &close)| Some(PricePoint { at: DateTime::from_timestamp(t, 0)?, price: money(close)? }))
        .collect();
    points.sort_by_key(|point| point.at);
    Ok(points)
}

/// The candle resolution for a chart range, near the simulated market's spacing.
pub fn resolution(range: ChartRange) -> &'static str {
    match range {
        ChartRange::Day => "5",
        ChartRange::Week | ChartRange::Month => "60",
        ChartRange::Year => "D",
    }
}

/// A positive price in whole cents. Goes through the number's shortest decimal text, so 261.74
/// stays 261.74 rather than the binary float's 261.7399999….
fn money(value: f64) -> Option<Money> {
    if !value.is_finite() || value <= 0.0 {
        return None;
    }
    let price = Money::from_decimal(Decimal::from_str(&value.to_string()).ok()?);
    (!price.is_zero()).then_some(price)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aapl() -> Symbol {
        Symbol::parse("AAPL").unwrap()
    }

    #[test]
    fn the_documented_quote_parses_with_its_own_time() {
        let body: QuoteBody = serde_json::from_str(
            r#"{"c":261.74,"d":0.28,"dp":0.107,"h":263.31,"l":260.68,"o":261.07,"pc":261.46,"t":1582641000}"#,
        )
        .unwrap();
        let quote = quote(&aapl(), &body).unwrap();
        assert_eq!(quote.price.to_string(), "261.74");
        assert_eq!(quote.previous_close.to_string(), "261.46");
        assert_eq!(quote.as_of.timestamp(), 1_582_641_000);
        assert_eq!(quote.change().to_string(), "0.28");
    }

    #[test]
    fn zeros_or_nulls_mean_no_price() {
        for json in [
            r#"{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}"#,
            r#"{"c":12.5,"pc":12,"t":0}"#,
            r#"{"c":null,"pc":12,"t":1582641000}"#,
            r#"{}"#,
        ] {
            let body: QuoteBody = serde_json::from_str(json).unwrap();
            assert_eq!(quote(&aapl(), &body), None, "{json}");
        }
        let first_day: QuoteBody = serde_json::from_str(r#"{"c":20.004,"pc":0,"t":1582641000}"#).unwrap();
        let quote = quote(&aapl(), &first_day).unwrap();
        assert_eq!((quote.price.to_string(), quote.previous_close.to_string()), ("20.00".into(), "20.00".into()));
    }

    #[test]
    fn candles_become_points_oldest_first() {
        let body: CandleBody = serde_json::from_str(
            r#"{"c":[261.74,260.5],"h":[1,1],"l":[1,1],"o":[1,1],"t":[1582641300,1582641000],"v":[5,6],"s":"ok"}"#,
        )
        .unwrap();
        let points = candles(&body).unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!((points[0].at.timestamp(), points[0].price.to_string()), (1_582_641_000, "260.50".into()));
        let none: CandleBody = serde_json::from_str(r#"{"s":"no_data"}"#).unwrap();
        assert_eq!(candles(&none), Ok(Vec::new()));
        let ragged: CandleBody = serde_json::from_str(r#"{"c":[1.0],"t":[],"s":"ok"}"#).unwrap();
        assert!(candles(&ragged).is_err());
    }

    #[test]
    fn prices_keep_their_decimal_digits_and_round_to_cents() {
        assert_eq!(money(261.74).unwrap().to_string(), "261.74");
        assert_eq!(money(0.1).unwrap().to_string(), "0.10");
        assert_eq!(money(1.005).unwrap().to_string(), "1.01", "half away from zero, on the decimal text");
        assert_eq!(money(0.004), None);
        assert_eq!(money(-1.0), None);
        assert_eq!(resolution(ChartRange::Year), "D");
    }
}
