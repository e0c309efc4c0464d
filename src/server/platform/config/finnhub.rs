//! Finnhub quote settings. Real prices are on when `FINNHUB_API_KEY` is set; otherwise the
//! simulated market stays the source and the other `FINNHUB_…` settings are not checked. The key
//! is a [`SecretString`]: redacted in `Debug`, never echoed in errors, read with `expose_secret`.

use super::args::{deferred, Deferred};
use super::values::{problem, seconds, whole};
use super::ConfigError;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://finnhub.io/api/v1";

/// A Finnhub API key: visible ASCII only (it travels in a header). `Debug` shows `[redacted]`.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn parse(text: &str) -> Result<ApiKey, String> {
        let key = text.trim();
        if key.is_empty() {
            return Err("is empty".into());
        }
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            // The value is not repeated: a half-pasted key is still a secret.
            return Err("contains spaces or characters that cannot go in an HTTP header (value not shown)".into());
        }
        Ok(ApiKey(key.into()))
    }
}

/// The key itself, for the request header only.
impl ExposeSecret<str> for ApiKey {
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

/// secrecy's own `Debug` would say `SecretBox<str>([REDACTED])`; this one names the setting.
impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// How to reach Finnhub and how gently to use it.
#[derive(Debug, Clone)]
pub struct FinnhubSettings {
    pub api_key: ApiKey,
    /// `FINNHUB_BASE_URL` without a trailing slash; tests point it at a local server.
    pub base_url: String,
    /// How long a quote is reused before Finnhub is asked again (`FINNHUB_CACHE_SECS`).
    pub cache_ttl: Duration,
    /// The client-side budget (`FINNHUB_CALLS_PER_MINUTE`), below the plan's limit.
    pub calls_per_minute: u32,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

/// Finnhub's settings, as read.
#[derive(clap::Args)]
pub(super) struct FinnhubArgs {
    #[arg(long, env = "FINNHUB_API_KEY", value_parser = ApiKey::parse)]
    finnhub_api_key: Option<ApiKey>,
    #[arg(long, env = "FINNHUB_BASE_URL", default_value = DEFAULT_BASE_URL, value_parser = deferred(base_url))]
    finnhub_base_url: Deferred<String>,
    #[arg(long, env = "FINNHUB_CACHE_SECS", default_value = "15", value_parser = deferred(seconds(1..=3600)))]
    finnhub_cache: Deferred<Duration>,
    #[arg(long, env = "FINNHUB_CALLS_PER_MINUTE", default_value = "55",
          value_parser = deferred(whole::<u32>(1..=10_000, "a whole number")))]
    finnhub_calls_per_minute: Deferred<u32>,
}

impl FinnhubArgs {
    /// The settings when the key is set.
    pub(super) fn into_settings(self) -> Result<Option<FinnhubSettings>, ConfigError> {
        let Some(api_key) = self.finnhub_api_key else { return Ok(None) };
        Ok(Some(FinnhubSettings {
            api_key,
            base_url: self.finnhub_base_url?,
            cache_ttl: self.finnhub_cache?,
            calls_per_minute: self.finnhub_calls_per_minute?,
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(3),
        }))
    }
}

/// An http(s) URL without credentials, without its trailing slashes.
fn base_url(text: &str) -> Result<String, String> {
    let valid = reqwest::Url::parse(text).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https") && url.username().is_empty() && url.password().is_none()
    });
    match (valid, text.contains('@')) {
        (true, _) => Ok(text.trim_end_matches('/').to_owned()),
        // A URL with user:password@ is not repeated, in case it holds a secret.
        (false, true) => Err(format!("should be an http(s):// URL without credentials, such as {DEFAULT_BASE_URL}")),
        (false, false) => Err(problem(text, format_args!("should be an http(s):// URL such as {DEFAULT_BASE_URL}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::platform::config::testing::with_database;

    fn settings(pairs: &[(&str, &str)]) -> Result<Option<FinnhubSettings>, ConfigError> {
        with_database(pairs).map(|config| config.finnhub)
    }

    #[test]
    fn no_key_means_the_simulated_market() {
        assert!(settings(&[]).unwrap().is_none());
        assert!(settings(&[("FINNHUB_API_KEY", "  "), ("FINNHUB_CACHE_SECS", "x")]).unwrap().is_none());
    }

    #[test]
    fn a_key_turns_finnhub_on_with_gentle_defaults() {
        let on = settings(&[("FINNHUB_API_KEY", "abc123")]).unwrap().unwrap();
        assert_eq!(on.base_url, DEFAULT_BASE_URL);
        assert_eq!(on.cache_ttl, Duration::from_secs(15));
        assert_eq!(on.calls_per_minute, 55);
        assert_eq!(on.api_key.expose_secret(), "abc123");
        let local = settings(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_BASE_URL", "http://127.0.0.1:9/api/")]).unwrap();
        assert_eq!(local.unwrap().base_url, "http://127.0.0.1:9/api");
    }

    #[test]
    fn bad_values_name_the_variable_and_never_the_key() {
        let var = |pairs: &[(&str, &str)]| settings(pairs).unwrap_err().var;
        assert_eq!(var(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_CACHE_SECS", "0")]), "FINNHUB_CACHE_SECS");
        assert_eq!(var(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_CACHE_SECS", "soon")]), "FINNHUB_CACHE_SECS");
        assert_eq!(var(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_CALLS_PER_MINUTE", "0")]), "FINNHUB_CALLS_PER_MINUTE");
        assert_eq!(var(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_BASE_URL", "finnhub.io")]), "FINNHUB_BASE_URL");
        assert_eq!(var(&[("FINNHUB_API_KEY", "k"), ("FINNHUB_BASE_URL", "https://u:p@x.io")]), "FINNHUB_BASE_URL");
        let error = settings(&[("FINNHUB_API_KEY", "half-pasted secret-key")]).unwrap_err();
        assert_eq!(error.var, "FINNHUB_API_KEY");
        assert!(!error.to_string().contains("secret-key"), "{error}");
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let on = settings(&[("FINNHUB_API_KEY", "sekrit-finnhub-key")]).unwrap().unwrap();
        let shown = format!("{on:?}");
        assert!(!shown.contains("sekrit-finnhub-key") && shown.contains("[redacted]"), "{shown}");
    }
}
