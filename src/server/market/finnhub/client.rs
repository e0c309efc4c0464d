//! The HTTP side of Finnhub: one `GET` with the key in the `X-Finnhub-Token` header (never in
//! the URL, so no error message or log line can carry it), a client-side call budget (governor),
//! and a shared pause after Finnhub says stop (429, or `X-Ratelimit-Remaining: 0`) or fails.

use crate::server::platform::config::FinnhubSettings;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The longest a rate-limit reset is believed: a wrong clock must not silence quotes for hours.
const MAX_PAUSE: Duration = Duration::from_secs(300);
/// Finnhub counts calls per minute; without a reset time, wait out a whole window.
const RATE_LIMITED_PAUSE: Duration = Duration::from_secs(60);

/// Why no answer came back. None of these carries the key.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("paused after a failure or rate limit")]
    Paused,
    #[error("the client-side call budget is used up")]
    Budget,
    #[error("rate limited by Finnhub (HTTP 429)")]
    RateLimited,
    #[error("Finnhub refused the request (HTTP {0}): check FINNHUB_API_KEY and the plan")]
    Denied(StatusCode),
    #[error("Finnhub answered HTTP {0}")]
    Status(StatusCode),
    #[error("request failed: {0}")]
    Transport(reqwest::Error),
    #[error("unexpected answer: {0}")]
    Body(String),
}

pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: HeaderValue,
    budget: DefaultDirectRateLimiter,
    /// No calls before this instant.
    paused_until: Mutex<Option<Instant>>,
    /// How long to leave Finnhub alone after a timeout, a 5xx or a garbled answer.
    failure_pause: Duration,
}

impl Client {
    pub fn new(settings: &FinnhubSettings) -> Client {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(concat!("papertrade/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a TLS backend is compiled in");
        let mut token =
            HeaderValue::from_str(settings.api_key.expose_secret()).expect("ApiKey::parse allows header-safe text");
        token.set_sensitive(true);
        let per_minute = NonZeroU32::new(settings.calls_per_minute).unwrap_or(NonZeroU32::MIN);
        Client {
            http,
            base_url: settings.base_url.clone(),
            token,
            budget: RateLimiter::direct(Quota::per_minute(per_minute)),
            paused_until: Mutex::new(None),
            failure_pause: settings.cache_ttl,
        }
    }

    /// `GET {base}{path}?{query}`, decoded as `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T, Failure> {
        if self.paused() {
            return Err(Failure::Paused);
        }
        self.budget.check().map_err(|_| Failure::Budget)?;
        let request =
            self.http.get(format!("{}{path}", self.base_url)).query(query).header("X-Finnhub-Token", &self.token);
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                self.pause_for(self.failure_pause);
                return Err(Failure::Transport(error.without_url()));
            }
        };
        let status = response.status();
        let reset = reset_in(response.headers());
        if status == StatusCode::TOO_MANY_REQUESTS {
            self.pause_for(reset.unwrap_or(RATE_LIMITED_PAUSE));
            return Err(Failure::RateLimited);
        }
        if let (Some(0), Some(reset)) = (remaining(response.headers()), reset) {
            self.pause_for(reset);
        }
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => return Err(Failure::Denied(status)),
            status if !status.is_success() => {
                self.pause_for(self.failure_pause);
                return Err(Failure::Status(status));
            }
            _ => {}
        }
        let body = response.bytes().await.map_err(|error| {
            self.pause_for(self.failure_pause);
            Failure::Transport(error.without_url())
        })?;
        serde_json::from_slice(&body).map_err(|error| {
            self.pause_for(self.failure_pause);
            Failure::Body(error.to_string())
        })
    }

    fn paused(&self) -> bool {
        self.paused_until.lock().unwrap_or_else(PoisonError::into_inner).is_some_and(|until| Instant::now() < until)
    }

    /// No calls for `wait` from now (or longer, if already paused longer).
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait.min(MAX_PAUSE);
        let mut paused = self.paused_until.lock().unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }
}

fn header<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn remaining(headers: &HeaderMap) -> Option<u64> {
    header(headers, "x-ratelimit-remaining")
}

/// Time until `X-Ratelimit-Reset` (unix seconds), at least one second.
fn reset_in(headers: &HeaderMap) -> Option<Duration> {
    let reset: i64 = header(headers, "x-ratelimit-reset")?;
    let millis = reset.saturating_mul(1000).saturating_sub(chrono::Utc::now().timestamp_millis()).max(1000);
    Some(Duration::from_millis(millis.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers_are_read_leniently() {
        let mut headers = HeaderMap::new();
        assert_eq!((remaining(&headers), reset_in(&headers)), (None, None));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        let in_ten = chrono::Utc::now().timestamp() + 10;
        headers.insert("x-ratelimit-reset", HeaderValue::from_str(&in_ten.to_string()).unwrap());
        assert_eq!(remaining(&headers), Some(0));
        let wait = reset_in(&headers).unwrap();
        assert!((Duration::from_secs(9)..=Duration::from_secs(10)).contains(&wait), "{wait:?}");
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1"));
        assert_eq!(reset_in(&headers), Some(Duration::from_secs(1)), "a past reset still waits a second");
    }
}
