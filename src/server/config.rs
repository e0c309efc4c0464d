//! Typed settings read from the environment (and an optional `.env`), validated once at start-up.
//!
//! A missing or bad value stops the program with one message that names the variable.
//! Secrets never appear in `Debug` output or logs.

mod finnhub;
mod oauth;
mod observability;

pub use finnhub::{ApiKey, FinnhubSettings};
pub use oauth::OAuthProvider;
pub use observability::{LogFormat, MetricsAccess, MetricsClients, MetricsToken};

use crate::domain::coach::CoachSettings;
use crate::domain::market_hours::MarketHours;
use crate::domain::{AuthProvider, Money};
use axum::http::HeaderName;
use leptos::config::LeptosOptions;
use rust_decimal::Decimal;
use sqlx::postgres::PgConnectOptions;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub database: DatabaseOptions,
    pub host: IpAddr,
    pub port: u16,
    pub site_root: String,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
    pub starting_cash: Money,
    /// Where people reach the app, e.g. `https://papertrade.example`; https makes cookies `Secure`.
    pub public_url: Option<String>,
    pub session_cookie_secure: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub guest_retention: Duration,
    /// Sign-up, log-in and guest creation per client IP: a burst, then one more every `refill`.
    pub auth_rate_burst: u32,
    pub auth_rate_refill: Duration,
    /// Every request per client (static assets and health probes aside): a burst of this many…
    pub global_rate_burst: u32,
    /// …then this many a minute.
    pub global_rate_per_minute: u32,
    /// The header our own reverse proxy puts the client's address in (`TRUSTED_PROXY_HEADER`).
    /// Unset, the TCP peer is the client and forwarding headers are ignored.
    pub trusted_proxy_header: Option<HeaderName>,
    /// How long the server may take to start answering a request before it answers 503.
    pub request_timeout: Duration,
    /// `cargo leptos watch` runs the server (it sets `LEPTOS_WATCH`): pages open its reload socket.
    pub leptos_watch: bool,
    /// When market orders execute: `always` (default) or `nyse` (regular New York session).
    pub market_hours: MarketHours,
    /// Google sign-in, when `GOOGLE_CLIENT_ID` and `GOOGLE_CLIENT_SECRET` are set.
    pub google: Option<OAuthProvider>,
    /// GitHub sign-in, when `GITHUB_CLIENT_ID` and `GITHUB_CLIENT_SECRET` are set.
    pub github: Option<OAuthProvider>,
    /// Real quotes from Finnhub, when `FINNHUB_API_KEY` is set; otherwise the simulated market.
    pub finnhub: Option<FinnhubSettings>,
    /// The coach's thresholds; `COACH_CONCENTRATION_PERCENT` sets when one holding is too big.
    pub coach: CoachSettings,
    /// Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_ALLOW`; by default this host only).
    pub metrics: MetricsAccess,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can pass a map instead of the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let database_url = lookup("DATABASE_URL").filter(|url| !url.trim().is_empty()).ok_or(ConfigError {
            var: "DATABASE_URL",
            problem: "is not set; it should look like postgres://user:password@host:5432/papertrade".into(),
        })?;
        let database_url = database_url.trim();
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError {
                var: "DATABASE_URL",
                problem: "must start with postgres:// or postgresql://".into(),
            });
        }
        let database = PgConnectOptions::from_str(database_url).map(DatabaseOptions).map_err(|error| ConfigError {
            var: "DATABASE_URL",
            problem: format!("is not a valid postgres:// URL ({})", describe_url_error(&error)),
        })?;
        let starting_cash = parse_with(&lookup, "STARTING_CASH", "10000.00", |text| {
            Money::parse_non_negative(text).map_err(|e| e.to_string()).and_then(|cash| {
                if cash.is_zero() {
                    Err("must be more than zero".to_owned())
                } else {
                    Ok(cash)
                }
            })
        })?;
        let public_url = match lookup("PUBLIC_URL").map(|url| url.trim().trim_end_matches('/').to_owned()) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => Some(url),
            Some(url) if url.is_empty() => None,
            Some(url) => {
                return Err(ConfigError {
                    var: "PUBLIC_URL",
                    problem: format!("is {url:?}: should start with http:// or https://"),
                })
            }
            None => None,
        };
        let default_secure =
            if public_url.as_deref().is_some_and(|url| url.starts_with("https://")) { "true" } else { "false" };
        Ok(Config {
            database,
            host: parse(&lookup, "HOST", "127.0.0.1", "an IP address such as 127.0.0.1 or 0.0.0.0")?,
            port: parse(&lookup, "PORT", "3000", "a port number from 0 to 65535")?,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            db_max_connections: in_range(parse(&lookup, "DATABASE_MAX_CONNECTIONS", "10", "a whole number")?, 1..=1000)
                .map_err(|problem| ConfigError { var: "DATABASE_MAX_CONNECTIONS", problem })?,
            db_acquire_timeout: Duration::from_secs(
                in_range(parse(&lookup, "DATABASE_ACQUIRE_TIMEOUT_SECS", "5", "a whole number of seconds")?, 1..=300)
                    .map_err(|problem| ConfigError { var: "DATABASE_ACQUIRE_TIMEOUT_SECS", problem })?,
            ),
            starting_cash,
            session_cookie_secure: parse_with(&lookup, "SESSION_COOKIE_SECURE", default_secure, |text| match text {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err("should be true or false".to_owned()),
            })?,
            public_url,
            session_idle: minutes(&lookup, "SESSION_IDLE_MINUTES", "1440", 5..=525_600)?,
            session_absolute: minutes(&lookup, "SESSION_ABSOLUTE_MINUTES", "43200", 5..=525_600)?,
            guest_retention: minutes(&lookup, "GUEST_RETENTION_MINUTES", "43200", 1..=5_256_000)?,
            auth_rate_burst: in_range(parse(&lookup, "AUTH_RATE_LIMIT_BURST", "10", "a whole number")?, 1..=10_000)
                .map_err(|problem| ConfigError { var: "AUTH_RATE_LIMIT_BURST", problem })?,
            auth_rate_refill: Duration::from_secs(
                in_range(parse(&lookup, "AUTH_RATE_LIMIT_REFILL_SECS", "6", "a whole number of seconds")?, 1..=3600)
                    .map_err(|problem| ConfigError { var: "AUTH_RATE_LIMIT_REFILL_SECS", problem })?,
            ),
            global_rate_burst: in_range(
                parse(&lookup, "GLOBAL_RATE_LIMIT_BURST", "300", "a whole number")?,
                1..=1_000_000,
            )
            .map_err(|problem| ConfigError { var: "GLOBAL_RATE_LIMIT_BURST", problem })?,
            global_rate_per_minute: in_range(
                parse(&lookup, "GLOBAL_RATE_LIMIT_PER_MINUTE", "600", "a whole number")?,
                1..=1_000_000,
            )
            .map_err(|problem| ConfigError { var: "GLOBAL_RATE_LIMIT_PER_MINUTE", problem })?,
            trusted_proxy_header: trusted_proxy_header(&lookup)?,
            request_timeout: Duration::from_secs(
                in_range(parse(&lookup, "REQUEST_TIMEOUT_SECS", "15", "a whole number of seconds")?, 1..=3600)
                    .map_err(|problem| ConfigError { var: "REQUEST_TIMEOUT_SECS", problem })?,
            ),
            leptos_watch: lookup("LEPTOS_WATCH").is_some(),
            market_hours: parse_with(&lookup, "MARKET_HOURS", "always", |text| {
                MarketHours::parse(text).ok_or_else(|| "should be always or nyse".to_owned())
            })?,
            google: oauth::google(&lookup)?,
            github: oauth::github(&lookup)?,
            finnhub: finnhub::finnhub(&lookup)?,
            coach: CoachSettings {
                concentration_percent: Decimal::from(
                    in_range(
                        parse(&lookup, "COACH_CONCENTRATION_PERCENT", "40", "a whole number of percent")?,
                        5..=100,
                    )
                    .map_err(|problem| ConfigError { var: "COACH_CONCENTRATION_PERCENT", problem })?,
                ),
                ..CoachSettings::default()
            },
            metrics: observability::metrics_access(&lookup)?,
            log_format: observability::log_format(&lookup)?,
        })
    }

    /// The settings of an OAuth provider, when it is configured.
    pub fn oauth(&self, provider: AuthProvider) -> Option<&OAuthProvider> {
        match provider {
            AuthProvider::Google => self.google.as_ref(),
            AuthProvider::Github => self.github.as_ref(),
            AuthProvider::Local | AuthProvider::Guest => None,
        }
    }

    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// The options Leptos needs to render pages and link the compiled assets, which pages find
    /// under `pkg_path` (see `server::http::assets`).
    pub fn leptos_options(&self, pkg_path: &str) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(env!("CARGO_PKG_NAME"))
            .site_root(self.site_root.as_str())
            .site_pkg_dir(pkg_path)
            .site_addr(self.socket_addr())
            .build()
    }
}

/// Where the database is. Its `Debug` names host, port and database, never the password.
#[derive(Clone)]
pub struct DatabaseOptions(pub PgConnectOptions);

impl std::fmt::Debug for DatabaseOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseOptions")
            .field("host", &self.0.get_host())
            .field("port", &self.0.get_port())
            .field("database", &self.0.get_database())
            .field("password", &"[redacted]")
            .finish()
    }
}

fn parse<T: FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    expected: &str,
) -> Result<T, ConfigError> {
    parse_with(lookup, var, default, |text| text.parse::<T>().map_err(|_| format!("should be {expected}")))
}

fn parse_with<T>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    parser: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let raw = lookup(var).unwrap_or_else(|| default.to_owned());
    parser(raw.trim()).map_err(|reason| ConfigError { var, problem: format!("is {raw:?}: {reason}") })
}

/// The header named by `TRUSTED_PROXY_HEADER`: `X-Forwarded-For` (its right-most address is the
/// one our proxy added) or a header holding one address, like `X-Real-IP`.
fn trusted_proxy_header(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<HeaderName>, ConfigError> {
    let var = "TRUSTED_PROXY_HEADER";
    let Some(raw) = lookup(var).filter(|text| !text.trim().is_empty()) else { return Ok(None) };
    let name = HeaderName::from_bytes(raw.trim().as_bytes())
        .map_err(|_| ConfigError { var, problem: format!("is {raw:?}: should be a header name such as X-Real-IP") })?;
    if name == "forwarded" {
        return Err(ConfigError {
            var,
            problem: "is Forwarded, which is not supported: use X-Forwarded-For or X-Real-IP".into(),
        });
    }
    Ok(Some(name))
}

fn minutes(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Duration, ConfigError> {
    let count = parse(lookup, var, default, "a whole number of minutes")?;
    in_range(count, range).map(|m| Duration::from_secs(m * 60)).map_err(|problem| ConfigError { var, problem })
}

fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, String> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(format!("is {value}, but must be between {} and {}", range.start(), range.end()))
    }
}

/// sqlx's URL errors can quote the URL, password included; keep only the kind of problem.
fn describe_url_error(error: &sqlx::Error) -> &'static str {
    match error {
        sqlx::Error::Configuration(_) => "check the scheme, host, port and database name",
        _ => "it could not be parsed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config_from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    const URL: (&str, &str) = ("DATABASE_URL", "postgres://app:s3cret@localhost:5432/papertrade");

    #[test]
    fn defaults_fill_everything_but_the_database() {
        let config = config_from(&[URL]).unwrap();
        assert_eq!(config.socket_addr().to_string(), "127.0.0.1:3000");
        assert_eq!(config.db_max_connections, 10);
        assert_eq!(config.db_acquire_timeout, Duration::from_secs(5));
        assert_eq!(config.starting_cash, Money::from_cents(1_000_000));
        assert!(!config.session_cookie_secure);
        assert_eq!(config.session_idle, Duration::from_secs(24 * 3600));
    }

    #[test]
    fn an_https_public_url_makes_cookies_secure() {
        let config = config_from(&[URL, ("PUBLIC_URL", "https://papertrade.example/")]).unwrap();
        assert!(config.session_cookie_secure);
        assert_eq!(config.public_url.as_deref(), Some("https://papertrade.example"));
        let overridden = config_from(&[URL, ("PUBLIC_URL", "https://x.example"), ("SESSION_COOKIE_SECURE", "false")]);
        assert!(!overridden.unwrap().session_cookie_secure);
        assert_eq!(config_from(&[URL, ("PUBLIC_URL", "papertrade.example")]).unwrap_err().var, "PUBLIC_URL");
    }

    #[test]
    fn a_missing_database_url_is_named() {
        let error = config_from(&[]).unwrap_err();
        assert_eq!(error.var, "DATABASE_URL");
        assert!(error.to_string().contains("is not set"));
    }

    #[test]
    fn bad_values_are_named_with_the_reason() {
        assert_eq!(config_from(&[URL, ("PORT", "http")]).unwrap_err().var, "PORT");
        assert_eq!(config_from(&[URL, ("PORT", "70000")]).unwrap_err().var, "PORT");
        assert_eq!(config_from(&[URL, ("HOST", "localhost:80")]).unwrap_err().var, "HOST");
        assert_eq!(config_from(&[URL, ("DATABASE_MAX_CONNECTIONS", "0")]).unwrap_err().var, "DATABASE_MAX_CONNECTIONS");
        let cash = config_from(&[URL, ("STARTING_CASH", "0.001")]).unwrap_err();
        assert_eq!(cash.var, "STARTING_CASH");
        assert!(cash.problem.contains("two decimal places"), "{}", cash.problem);
        assert_eq!(config_from(&[URL, ("STARTING_CASH", "0")]).unwrap_err().var, "STARTING_CASH");
    }

    #[test]
    fn a_bad_database_url_does_not_echo_the_password() {
        let error = config_from(&[("DATABASE_URL", "mysql://app:hunter2@db/x")]).unwrap_err();
        assert_eq!(error.var, "DATABASE_URL");
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn oauth_providers_need_both_id_and_secret() {
        let none = config_from(&[URL]).unwrap();
        assert!(none.google.is_none() && none.github.is_none());
        let google = config_from(&[URL, ("GOOGLE_CLIENT_ID", "id"), ("GOOGLE_CLIENT_SECRET", "shh-google")]).unwrap();
        let settings = google.oauth(AuthProvider::Google).expect("google is configured");
        assert_eq!(settings.token_url, "https://oauth2.googleapis.com/token");
        assert!(google.github.is_none());
        assert!(!format!("{google:?}").contains("shh-google"), "the client secret is redacted");
        assert_eq!(config_from(&[URL, ("GITHUB_CLIENT_ID", "id")]).unwrap_err().var, "GITHUB_CLIENT_SECRET");
        assert_eq!(config_from(&[URL, ("GOOGLE_CLIENT_SECRET", "s")]).unwrap_err().var, "GOOGLE_CLIENT_ID");
        let bad_url = [URL, ("GITHUB_CLIENT_ID", "i"), ("GITHUB_CLIENT_SECRET", "s"), ("GITHUB_API_URL", "ftp://x")];
        assert_eq!(config_from(&bad_url).unwrap_err().var, "GITHUB_API_URL");
    }

    #[test]
    fn request_limits_have_generous_defaults_and_are_checked() {
        let config = config_from(&[URL]).unwrap();
        assert_eq!((config.global_rate_burst, config.global_rate_per_minute), (300, 600));
        assert_eq!(config.request_timeout, Duration::from_secs(15));
        assert!(config.trusted_proxy_header.is_none(), "forwarding headers are not trusted by default");
        assert_eq!(
            config_from(&[URL, ("GLOBAL_RATE_LIMIT_PER_MINUTE", "0")]).unwrap_err().var,
            "GLOBAL_RATE_LIMIT_PER_MINUTE"
        );
        assert_eq!(
            config_from(&[URL, ("GLOBAL_RATE_LIMIT_BURST", "lots")]).unwrap_err().var,
            "GLOBAL_RATE_LIMIT_BURST"
        );
        assert_eq!(config_from(&[URL, ("REQUEST_TIMEOUT_SECS", "0")]).unwrap_err().var, "REQUEST_TIMEOUT_SECS");
    }

    #[test]
    fn a_trusted_proxy_header_is_a_valid_header_name() {
        let config = config_from(&[URL, ("TRUSTED_PROXY_HEADER", "X-Forwarded-For")]).unwrap();
        assert_eq!(config.trusted_proxy_header.unwrap(), "x-forwarded-for");
        assert!(config_from(&[URL, ("TRUSTED_PROXY_HEADER", " ")]).unwrap().trusted_proxy_header.is_none());
        assert_eq!(config_from(&[URL, ("TRUSTED_PROXY_HEADER", "X Real IP")]).unwrap_err().var, "TRUSTED_PROXY_HEADER");
        assert_eq!(config_from(&[URL, ("TRUSTED_PROXY_HEADER", "Forwarded")]).unwrap_err().var, "TRUSTED_PROXY_HEADER");
    }

    #[test]
    fn debug_output_redacts_the_database_url() {
        let config = config_from(&[URL]).unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
