//! Typed settings read from the environment (and an optional `.env`), validated once at start-up.
//!
//! `settings` declares every variable with clap's derive, `args` feeds it from a lookup (the
//! process environment or a test's map) and `values` holds the parsers it names. A missing or
//! bad value stops the program with one message that names the variable. Secrets never appear
//! in `Debug` output, logs or errors.

mod args;
mod finnhub;
mod mail;
mod oauth;
mod observability;
mod settings;
mod values;

pub use finnhub::{ApiKey, FinnhubSettings};
pub use mail::{MailDelivery, MailSettings, SmtpUrl};
pub use oauth::OAuthProvider;
pub use observability::{LogFormat, MetricsAccess, MetricsClients, MetricsToken};

use crate::domain::coach::CoachSettings;
use crate::domain::market_hours::MarketHours;
use crate::domain::{AuthProvider, Money};
use axum::http::HeaderName;
use leptos::config::LeptosOptions;
use sqlx::postgres::PgConnectOptions;
use std::net::{IpAddr, SocketAddr};
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
    /// `MARKET_SEED`: the simulated market's secret, pinned (tests, demos); unset, the one in
    /// the database (`market_secret`), created by the first server.
    pub market_seed: Option<u64>,
    /// Live event streams one instance holds open: per user, per client address (a classroom
    /// behind one NAT is one client), in all.
    pub live_streams: StreamLimits,
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
    /// Outgoing mail (`SMTP_URL`, `MAIL_FROM`); without a relay, messages go to the log.
    pub mail: MailSettings,
    /// The coach's thresholds; `COACH_CONCENTRATION_PERCENT` sets when one holding is too big.
    pub coach: CoachSettings,
    /// Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_ALLOW`; by default this host only).
    pub metrics: MetricsAccess,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
}

/// Live event streams one instance holds open: per user (tabs, devices), per client address,
/// and in all. Past any of them a new stream is refused with 409 (the page keeps working and
/// retries later).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    pub per_user: usize,
    pub per_client: usize,
    pub instance: usize,
}

/// Streams one user may hold on one instance.
pub const STREAMS_PER_USER: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

    /// Reads settings through `lookup` alone, never the process environment, so tests can pass a
    /// map instead (and run many servers with different ones in one process).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        args::parse(lookup)?.into_config()
    }

    /// The settings of an OAuth provider, when it is configured.
    pub fn oauth(&self, provider: AuthProvider) -> Option<&OAuthProvider> {
        match provider {
            AuthProvider::Google => self.google.as_ref(),
            AuthProvider::Github => self.github.as_ref(),
            AuthProvider::Local | AuthProvider::Guest => None,
        }
    }

    /// Where links in mail point: `PUBLIC_URL`, or this server's own address.
    pub fn link_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.socket_addr()))
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

#[cfg(test)]
mod testing {
    use super::{Config, ConfigError};
    use std::collections::HashMap;

    pub const URL: (&str, &str) = ("DATABASE_URL", "postgres://app:s3cret@localhost:5432/papertrade");

    /// The configuration from these variables alone.
    pub fn config_from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    /// The configuration from these variables and a database URL.
    pub fn with_database(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        config_from(&[&[URL], pairs].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{config_from, URL};
    use super::*;

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

    #[test]
    fn problems_say_what_the_value_should_be() {
        let problem = |pairs: &[(&str, &str)]| config_from(pairs).unwrap_err().to_string();
        let url = "it should look like postgres://user:password@host:5432/papertrade";
        assert_eq!(problem(&[]), format!("configuration error: DATABASE_URL is not set; {url}"));
        assert!(problem(&[URL, ("DATABASE_MAX_CONNECTIONS", "0")]).ends_with("is 0, but must be between 1 and 1000"));
        assert!(
            problem(&[URL, ("DATABASE_MAX_CONNECTIONS", "many")]).ends_with("is \"many\": should be a whole number")
        );
        assert!(
            problem(&[URL, ("PORT", "70000")]).ends_with("PORT is \"70000\": should be a port number from 0 to 65535")
        );
        assert!(problem(&[URL, ("MARKET_HOURS", "sometimes")]).ends_with("is \"sometimes\": should be always or nyse"));
        assert!(problem(&[URL, ("SESSION_COOKIE_SECURE", "yes")]).ends_with("is \"yes\": should be true or false"));
        assert!(problem(&[URL, ("LOG_FORMAT", "yaml")]).ends_with("LOG_FORMAT is \"yaml\": should be text or json"));
        assert!(problem(&[URL, ("SESSION_IDLE_MINUTES", "1")]).ends_with("is 1, but must be between 5 and 525600"));
    }

    #[test]
    fn blank_values_are_unset_and_values_are_trimmed() {
        let config = config_from(&[URL, ("PORT", " "), ("MARKET_HOURS", " nyse "), ("LOG_FORMAT", "JSON")]).unwrap();
        assert_eq!(config.port, 3000);
        assert_eq!(config.market_hours, MarketHours::Nyse);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config_from(&[("DATABASE_URL", " ")]).unwrap_err().var, "DATABASE_URL");
    }

    #[test]
    fn features_that_are_off_leave_their_settings_unchecked() {
        let config = config_from(&[URL, ("GOOGLE_AUTH_URL", "ftp://x"), ("FINNHUB_CALLS_PER_MINUTE", "0")]).unwrap();
        assert!(config.google.is_none() && config.finnhub.is_none());
        let on = [URL, ("GOOGLE_CLIENT_ID", "i"), ("GOOGLE_CLIENT_SECRET", "s"), ("GOOGLE_AUTH_URL", "ftp://x")];
        assert_eq!(config_from(&on).unwrap_err().var, "GOOGLE_AUTH_URL");
    }
}
