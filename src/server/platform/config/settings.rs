//! Every variable the server reads, declared once with clap's derive: its name (`env`), its
//! default and its check. The rules that join several settings come after parsing, in
//! [`Settings::into_config`] and the `into_…` methods of the flattened groups.

use super::values::{
    database_url, market_hours, minutes, parsed, proxy_header, public_url, seconds, starting_cash, whole,
};
use super::{finnhub, mail, oauth, observability, Config, ConfigError, DatabaseOptions, StreamLimits};
use crate::domain::coach::CoachSettings;
use crate::domain::market_hours::MarketHours;
use crate::domain::Money;
use axum::http::HeaderName;
use clap::ArgAction;
use rust_decimal::Decimal;
use std::net::IpAddr;
use std::time::Duration;

/// The settings as read, before the rules that join them. Field docs say what each one is;
/// [`Config`] says how the server uses them.
#[derive(clap::Parser)]
#[command(name = "papertrade-settings", no_binary_name = true, disable_help_flag = true)]
pub(super) struct Settings {
    /// Where the database is; required.
    #[arg(
        long,
        env = "DATABASE_URL",
        value_name = "postgres://user:password@host:5432/papertrade",
        value_parser = database_url
    )]
    database: DatabaseOptions,
    #[arg(long, env = "HOST", default_value = "127.0.0.1",
          value_parser = parsed::<IpAddr>("an IP address such as 127.0.0.1 or 0.0.0.0"))]
    host: IpAddr,
    #[arg(long, env = "PORT", default_value = "3000", value_parser = parsed::<u16>("a port number from 0 to 65535"))]
    port: u16,
    /// The compiled site (`cargo leptos` sets it).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    site_root: String,
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value = "10",
          value_parser = whole::<u32>(1..=1000, "a whole number"))]
    db_max_connections: u32,
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT_SECS", default_value = "5", value_parser = seconds(1..=300))]
    db_acquire_timeout: Duration,
    #[arg(long, env = "STARTING_CASH", default_value = "10000.00", value_parser = starting_cash)]
    starting_cash: Money,
    #[arg(long, env = "PUBLIC_URL", value_parser = public_url)]
    public_url: Option<String>,
    /// `true` or `false`; unset, whether `PUBLIC_URL` is https.
    #[arg(long, env = "SESSION_COOKIE_SECURE", action = ArgAction::Set, value_parser = clap::value_parser!(bool))]
    session_cookie_secure: Option<bool>,
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value = "1440", value_parser = minutes(5..=525_600))]
    session_idle: Duration,
    #[arg(long, env = "SESSION_ABSOLUTE_MINUTES", default_value = "43200", value_parser = minutes(5..=525_600))]
    session_absolute: Duration,
    #[arg(long, env = "GUEST_RETENTION_MINUTES", default_value = "43200", value_parser = minutes(1..=5_256_000))]
    guest_retention: Duration,
    #[arg(long, env = "AUTH_RATE_LIMIT_BURST", default_value = "10",
          value_parser = whole::<u32>(1..=10_000, "a whole number"))]
    auth_rate_burst: u32,
    #[arg(long, env = "AUTH_RATE_LIMIT_REFILL_SECS", default_value = "6", value_parser = seconds(1..=3600))]
    auth_rate_refill: Duration,
    #[arg(long, env = "GLOBAL_RATE_LIMIT_BURST", default_value = "300",
          value_parser = whole::<u32>(1..=1_000_000, "a whole number"))]
    global_rate_burst: u32,
    #[arg(long, env = "GLOBAL_RATE_LIMIT_PER_MINUTE", default_value = "600",
          value_parser = whole::<u32>(1..=1_000_000, "a whole number"))]
    global_rate_per_minute: u32,
    #[arg(long, env = "MARKET_SEED", value_parser = whole::<u64>(0..=u64::MAX, "a whole number"))]
    market_seed: Option<u64>,
    #[arg(long, env = "LIVE_STREAMS_PER_CLIENT", default_value = "256",
          value_parser = whole::<usize>(1..=1_000_000, "a whole number"))]
    live_streams_per_client: usize,
    #[arg(long, env = "LIVE_STREAMS_MAX", default_value = "20000",
          value_parser = whole::<usize>(1..=10_000_000, "a whole number"))]
    live_streams_max: usize,
    #[arg(long, env = "TRUSTED_PROXY_HEADER", value_parser = proxy_header)]
    trusted_proxy_header: Option<HeaderName>,
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value = "15", value_parser = seconds(1..=3600))]
    request_timeout: Duration,
    /// Set (to anything) by `cargo leptos watch`.
    #[arg(long, env = "LEPTOS_WATCH")]
    leptos_watch: Option<String>,
    #[arg(long, env = "MARKET_HOURS", default_value = "always", value_parser = market_hours)]
    market_hours: MarketHours,
    #[arg(long, env = "COACH_CONCENTRATION_PERCENT", default_value = "40",
          value_parser = whole::<u32>(5..=100, "a whole number of percent"))]
    coach_concentration_percent: u32,
    #[arg(long, env = "COACH_FAR_FROM_CLOSE_PERCENT", default_value = "3",
          value_parser = whole::<u32>(1..=100, "a whole number of percent"))]
    coach_far_from_close_percent: u32,
    #[command(flatten)]
    oauth: oauth::OAuthArgs,
    #[command(flatten)]
    finnhub: finnhub::FinnhubArgs,
    #[command(flatten)]
    mail: mail::MailArgs,
    #[command(flatten)]
    observability: observability::ObservabilityArgs,
}

impl Settings {
    /// Applies the rules that join several settings.
    pub(super) fn into_config(self) -> Result<Config, ConfigError> {
        let https = self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"));
        let (google, github) = self.oauth.into_providers()?;
        Ok(Config {
            database: self.database,
            host: self.host,
            port: self.port,
            site_root: self.site_root,
            db_max_connections: self.db_max_connections,
            db_acquire_timeout: self.db_acquire_timeout,
            starting_cash: self.starting_cash,
            public_url: self.public_url,
            session_cookie_secure: self.session_cookie_secure.unwrap_or(https),
            session_idle: self.session_idle,
            session_absolute: self.session_absolute,
            guest_retention: self.guest_retention,
            auth_rate_burst: self.auth_rate_burst,
            auth_rate_refill: self.auth_rate_refill,
            global_rate_burst: self.global_rate_burst,
            global_rate_per_minute: self.global_rate_per_minute,
            market_seed: self.market_seed,
            live_streams: StreamLimits {
                per_user: super::STREAMS_PER_USER,
                per_client: self.live_streams_per_client,
                instance: self.live_streams_max,
            },
            trusted_proxy_header: self.trusted_proxy_header,
            request_timeout: self.request_timeout,
            leptos_watch: self.leptos_watch.is_some(),
            market_hours: self.market_hours,
            google,
            github,
            finnhub: self.finnhub.into_settings()?,
            mail: self.mail.into_settings(https),
            coach: CoachSettings {
                concentration_percent: Decimal::from(self.coach_concentration_percent),
                far_from_close_percent: Decimal::from(self.coach_far_from_close_percent),
                ..CoachSettings::default()
            },
            log_format: self.observability.log_format,
            metrics: self.observability.into_metrics_access(),
        })
    }
}
