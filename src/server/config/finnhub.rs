//! Finnhub quote settings. Real prices are on when `FINNHUB_API_KEY` is set; otherwise the
//! simulated market stays the source. The key is redacted in `Debug` and never echoed in errors.

use crate::server::config::in_range;

use crate::server::config::parse;

use crate::server::config::ConfigError;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://finnhub.io/api/v1";

/// A Finnhub API key: visible ASCII only (it travels in a header). `Debug` shows `[redacted]`.
#[derive(Clone)]
pub struct ApiKey(String);

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
        Ok(ApiKey(key.to_owned()))
    }

    /// The key itself, for the request header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

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

pub(super) fn finnhub(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<FinnhubSettings>, ConfigError> {
    let Some(raw_key) = lookup("FINNHUB_API_KEY").filter(|key| !key.trim().is_empty()) else { return Ok(None) };
    let api_key = ApiKey::parse(&raw_key).map_err(|problem| ConfigError { var: "FINNHUB_API_KEY", problem })?;
    let base_url = lookup("FINNHUB_BASE_URL")
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let valid = reqwest::Url::parse(&base_url).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https") && url.username().is_empty() && url.password().is_none()
    });
    if !valid {
        return Err(ConfigError {
            var: "FINNHUB_BASE_URL",
            // A URL with user:password@ is not repeated, in case it holds a secret.
            problem: match base_url.contains('@') {
                true => format!("should be an http(s):// URL without credentials, such as {DEFAULT_BASE_URL}"),
                false => format!("is {base_url:?}: should be an http(s):// URL such as {DEFAULT_BASE_URL}"),
            },
        });
    }
    let cache_secs = in_range(parse(lookup, "FINNHUB_CACHE_SECS", "15", "a whole number of seconds")?, 1..=3600)
        .map_err(|problem| ConfigError { var: "FINNHUB_CACHE_SECS", problem })?;
    let calls_per_minute = in_range(parse(lookup, "FINNHUB_CALLS_PER_MINUTE", "55", "a whole number")?, 1..=10_000)
        .map_err(|problem| ConfigError { var: "FINNHUB_CALLS_PER_MINUTE", problem })?;
    Ok(Some(FinnhubSettings {
        api_key,
        base_url: base_url.trim_end_matches('/').to_owned(),
        cache_ttl: Duration::from_secs(cache_secs),
        calls_per_minute,
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(3),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Option<FinnhubSettings>, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        finnhub(&|name: &str| map.get(name).cloned())
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
        assert_eq!(on.api_key.expose(), "abc123");
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
