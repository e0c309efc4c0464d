//! Rate limits on sign-up, log-in and guest creation (governor's GCRA): per client IP for the
//! auth routes, and per account inside log-in. Excess requests get 429 with `Retry-After`.

use crate::api::AppError;
use crate::server::config::Config;
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Paths that create sessions or accounts.
const LIMITED_PATHS: [&str; 5] = ["/api/log_in", "/api/sign_up", "/api/start_guest", "/auth/google", "/auth/github"];

#[derive(Clone)]
pub struct RateLimits {
    per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    per_account: Arc<DefaultKeyedRateLimiter<String>>,
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        let burst = NonZeroU32::new(config.auth_rate_burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(config.auth_rate_refill).map(|q| q.allow_burst(burst));
        let quota = quota.unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        RateLimits { per_ip: Arc::new(RateLimiter::keyed(quota)), per_account: Arc::new(RateLimiter::keyed(quota)) }
    }

    /// Counts one log-in attempt against an account (by normalized email).
    pub fn check_account(&self, account: &str) -> Result<(), AppError> {
        self.per_account.check_key(&account.to_owned()).map_err(|not_until| AppError::RateLimited {
            retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1),
        })
    }
}

/// Middleware: counts requests to the limited paths per client IP.
pub async fn limit_auth_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limited = LIMITED_PATHS.iter().any(|path| request.uri().path().starts_with(path));
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    if let (true, Some(ip)) = (limited, peer) {
        if let Err(not_until) = state.rate_limits.per_ip.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            return too_many_requests(wait);
        }
    }
    next.run(request).await
}

pub fn too_many_requests(retry_after_secs: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry_after_secs.to_string())],
        format!("Too many attempts. Try again in {retry_after_secs} seconds."),
    )
        .into_response()
}
