//! The parsers the settings name in their `value_parser = …` attributes. Each one's error is the
//! whole problem as it follows the variable's name in a [`ConfigError`](super::ConfigError)
//! (`is "x": should be …`); a secret's never repeats the value.

use super::DatabaseOptions;
use crate::domain::market_hours::MarketHours;
use crate::domain::Money;
use axum::http::HeaderName;
use clap::builder::TypedValueParser;
use sqlx::postgres::PgConnectOptions;
use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

/// `is "text": {reason}`.
pub(super) fn problem(text: &str, reason: impl Display) -> String {
    format!("is {text:?}: {reason}")
}

/// Any `FromStr` value; `expected` says what it should be ("a port number from 0 to 65535").
pub(super) fn parsed<T: FromStr + 'static>(
    expected: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |text| text.parse().map_err(|_| problem(text, format_args!("should be {expected}")))
}

/// A whole number in `range` (clap's own `range()` says neither the unit nor the bounds in words).
pub(super) fn whole<T>(
    range: RangeInclusive<T>,
    expected: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: FromStr + PartialOrd + Display + Clone + Send + Sync + 'static,
{
    let parse = parsed::<T>(expected);
    move |text| {
        let value = parse(text)?;
        match range.contains(&value) {
            true => Ok(value),
            false => Err(format!("is {value}, but must be between {} and {}", range.start(), range.end())),
        }
    }
}

/// A whole number of seconds in `range`.
pub(super) fn seconds(range: RangeInclusive<u64>) -> impl TypedValueParser<Value = Duration> {
    whole(range, "a whole number of seconds").map(Duration::from_secs)
}

/// A whole number of minutes in `range`.
pub(super) fn minutes(range: RangeInclusive<u64>) -> impl TypedValueParser<Value = Duration> {
    whole(range, "a whole number of minutes").map(|minutes| Duration::from_secs(minutes * 60))
}

/// A `postgres://` URL. Neither the URL nor sqlx's error (which can quote it) is repeated.
pub(super) fn database_url(text: &str) -> Result<DatabaseOptions, String> {
    if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
        return Err("must start with postgres:// or postgresql://".into());
    }
    PgConnectOptions::from_str(text).map(DatabaseOptions).map_err(|error| {
        let kind = match error {
            sqlx::Error::Configuration(_) => "check the scheme, host, port and database name",
            _ => "it could not be parsed",
        };
        format!("is not a valid postgres:// URL ({kind})")
    })
}

/// An amount of money above zero, in whole cents.
pub(super) fn starting_cash(text: &str) -> Result<Money, String> {
    match Money::parse_non_negative(text) {
        Ok(cash) if cash.is_zero() => Err(problem(text, "must be more than zero")),
        Ok(cash) => Ok(cash),
        Err(error) => Err(problem(text, error)),
    }
}

/// An `http://` or `https://` address, without its trailing slashes.
pub(super) fn public_url(text: &str) -> Result<String, String> {
    let url = text.trim_end_matches('/');
    match url.starts_with("http://") || url.starts_with("https://") {
        true => Ok(url.to_owned()),
        false => Err(problem(url, "should start with http:// or https://")),
    }
}

/// An http(s) URL such as an OAuth endpoint, without its trailing slashes.
pub(super) fn http_url(text: &str) -> Result<String, String> {
    match reqwest::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(text.trim_end_matches('/').to_owned()),
        _ => Err(problem(text, "should be an http(s):// URL")),
    }
}

/// The header our reverse proxy puts the client's address in: `X-Forwarded-For` (its right-most
/// address is the one our proxy added) or a header holding one address, like `X-Real-IP`.
pub(super) fn proxy_header(text: &str) -> Result<HeaderName, String> {
    let name = HeaderName::from_bytes(text.as_bytes())
        .map_err(|_| problem(text, "should be a header name such as X-Real-IP"))?;
    match name == "forwarded" {
        true => Err("is Forwarded, which is not supported: use X-Forwarded-For or X-Real-IP".into()),
        false => Ok(name),
    }
}

/// `always` or `nyse`, in any case.
pub(super) fn market_hours(text: &str) -> Result<MarketHours, String> {
    MarketHours::parse(text).ok_or_else(|| problem(text, "should be always or nyse"))
}
