//! Rate limits (governor's GCRA): a generous one on every request per client, a strict one on
//! sign-up, log-in, guest creation, password checks and mailed links per client, one per account
//! and client inside log-in, and one per address on the letters we send. Excess requests get 429
//! with `Retry-After`.
//!
//! The account limit counts per client too: one client's wrong guesses lock that client out of
//! the account, never the owner signing in from their own device. A client spreading guesses
//! over accounts meets its own limit first.
//!
//! The client is the TCP peer's address; only when `TRUSTED_PROXY_HEADER` names the header our
//! own reverse proxy sets is that header believed instead (see [`client_ip`]). IPv6 clients
//! count by their /64, since one host can hold a whole /64.

use crate::server::platform::http::failures::is_server_fn;

use crate::server::platform::config::Config;
use crate::server::platform::http::failures::refusal;
use crate::server::platform::state::AppState;
use crate::wire::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Paths that create sessions or accounts, check a password or a mailed link, or send a letter.
const LIMITED_PATHS: [&str; 12] = [
    "/api/log_in",
    "/api/sign_up",
    "/api/start_guest",
    "/api/upgrade_guest",
    "/api/change_password",
    "/api/change_email",
    "/api/resend_verification",
    "/api/verify_email",
    "/api/request_password_reset",
    "/api/reset_password",
    "/auth/google",
    "/auth/github",
];

/// Letters one address may be sent: a few at once, then one every five minutes — whoever asks,
/// so a stranger cannot flood someone's inbox from many clients.
const LETTERS_PER_ADDRESS_BURST: u32 = 3;
const LETTER_PER_ADDRESS_EVERY: Duration = Duration::from_secs(5 * 60);

/// Paths the limit on every request leaves alone: the compiled assets a page loads, and the
/// health probes of a load balancer (a 429 there could take the instance out of service).
fn exempt_from_global_limit(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/healthz" || path == "/readyz"
}

#[derive(Clone)]
pub struct RateLimits {
    every_request: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    per_account: Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>,
    letters_per_address: Arc<DefaultKeyedRateLimiter<String>>,
}

/// The bucket of the request's client, as [`limit_auth_requests`] worked it out (in the
/// request's extensions, for server functions to read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientBucket(IpAddr);

impl ClientBucket {
    /// Clients without a peer address (none in practice) count as this one.
    const UNKNOWN: ClientBucket = ClientBucket(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));

    /// The running server function's client.
    pub async fn of_request() -> ClientBucket {
        let parts = leptos_axum::extract::<axum::http::request::Parts>().await.ok();
        parts.and_then(|parts| parts.extensions.get::<ClientBucket>().copied()).unwrap_or(ClientBucket::UNKNOWN)
    }

    /// The client of a request's parts (routes that are not server functions).
    pub fn of_parts(
        extensions: &axum::http::Extensions,
        headers: &HeaderMap,
        trusted: Option<&HeaderName>,
    ) -> ClientBucket {
        client_address(extensions, headers, trusted).map_or(ClientBucket::UNKNOWN, |ip| ClientBucket(bucket(ip)))
    }

    pub fn address(self) -> IpAddr {
        self.0
    }
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        let burst = NonZeroU32::new(config.auth_rate_burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(config.auth_rate_refill).map(|q| q.allow_burst(burst));
        let quota = quota.unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        let per_minute = NonZeroU32::new(config.global_rate_per_minute).unwrap_or(NonZeroU32::MIN);
        let global_burst = NonZeroU32::new(config.global_rate_burst).unwrap_or(NonZeroU32::MIN);
        RateLimits {
            every_request: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(global_burst))),
            per_ip: Arc::new(RateLimiter::keyed(quota)),
            per_account: Arc::new(RateLimiter::keyed(quota)),
            letters_per_address: Arc::new(RateLimiter::keyed(letters_quota())),
        }
    }

    /// Drops the state of clients whose buckets are full again, so the maps stay as small as
    /// the set of recently active clients.
    pub fn forget_idle_clients(&self) {
        self.every_request.retain_recent();
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
        self.letters_per_address.retain_recent();
        self.every_request.shrink_to_fit();
        self.per_ip.shrink_to_fit();
        self.per_account.shrink_to_fit();
        self.letters_per_address.shrink_to_fit();
    }

    /// Counts one log-in attempt by `client` against an account (by normalized email).
    pub fn check_account(&self, client: ClientBucket, account: &str) -> Result<(), AppError> {
        self.per_account.check_key(&(client.0, account.to_owned())).map_err(rate_limited)
    }

    /// Counts one letter to `address` (a normalized email), whether or not an account has it.
    pub fn check_letter_to(&self, address: &str) -> Result<(), AppError> {
        self.letters_per_address.check_key(&address.to_owned()).map_err(rate_limited)
    }
}

fn letters_quota() -> Quota {
    let burst = NonZeroU32::new(LETTERS_PER_ADDRESS_BURST).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(LETTER_PER_ADDRESS_EVERY)
        .map_or_else(|| Quota::per_hour(burst), |quota| quota.allow_burst(burst))
}

fn rate_limited(not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> AppError {
    AppError::RateLimited { retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1) }
}

/// Runs [`RateLimits::forget_idle_clients`] every minute, for as long as the server runs.
pub async fn forget_idle_clients(limits: RateLimits) {
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    loop {
        every_minute.tick().await;
        limits.forget_idle_clients();
    }
}

/// Middleware: counts every request (but assets and health probes) per client.
pub async fn limit_every_client(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !exempt_from_global_limit(request.uri().path()) {
        if let Some(ip) = client_ip(&request, state.config.trusted_proxy_header.as_ref()) {
            if let Err(not_until) = state.rate_limits.every_request.check_key(&bucket(ip)) {
                let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
                tracing::debug!(client = %ip, "a client went over the request rate limit");
                return too_many(request.uri().path(), wait, "requests");
            }
        }
    }
    next.run(request).await
}

/// Middleware: counts requests to the limited paths per client, and tells them who the client is
/// ([`ClientBucket`]).
pub async fn limit_auth_requests(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let limited = LIMITED_PATHS.iter().any(|path| request.uri().path().starts_with(path));
    if limited {
        if let Some(ip) = client_ip(&request, state.config.trusted_proxy_header.as_ref()) {
            if let Err(not_until) = state.rate_limits.per_ip.check_key(&bucket(ip)) {
                let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
                return too_many(request.uri().path(), wait, "attempts");
            }
            request.extensions_mut().insert(ClientBucket(bucket(ip)));
        }
    }
    next.run(request).await
}

/// The client's address: the TCP peer's, unless `trusted_header` (our proxy's header) is set
/// and holds one. In `X-Forwarded-For` only the right-most address counts: our proxy appends
/// the address it saw, and everything to its left came from the client and may be made up.
pub fn client_ip(request: &Request, trusted_header: Option<&HeaderName>) -> Option<IpAddr> {
    client_address(request.extensions(), request.headers(), trusted_header)
}

/// [`client_ip`] from a request's parts.
fn client_address(
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    trusted_header: Option<&HeaderName>,
) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    trusted_header.and_then(|name| forwarded_ip(headers, name)).or(peer)
}

fn forwarded_ip(headers: &HeaderMap, name: &HeaderName) -> Option<IpAddr> {
    let last_line = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    let entry = if name == "x-forwarded-for" { last_line.rsplit(',').next()? } else { last_line };
    let entry = entry.trim();
    entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|address| address.ip()))
}

/// The bucket an address counts against: an IPv4 address alone, an IPv6 address with its /64.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// 429 with `Retry-After`. Server functions (under `/api/`) get the JSON error their client
/// decodes; other paths a sentence.
fn too_many(path: &str, retry_after_secs: u64, what: &str) -> Response {
    let sentence = format!("Too many {what}. Try again in {retry_after_secs} seconds.");
    refusal(is_server_fn(path), StatusCode::TOO_MANY_REQUESTS, AppError::RateLimited { retry_after_secs }, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, headers: &[(&'static str, &str)]) -> Request {
        let mut request = Request::new(Body::empty());
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        for (name, value) in headers {
            request.headers_mut().append(*name, value.parse().unwrap());
        }
        request
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn without_a_trusted_header_the_peer_is_the_client() {
        let spoofed =
            request("203.0.113.7:5000", &[("x-forwarded-for", "198.51.100.1"), ("x-real-ip", "198.51.100.2")]);
        assert_eq!(client_ip(&spoofed, None), ip("203.0.113.7"));
    }

    #[test]
    fn x_forwarded_for_counts_only_the_address_our_proxy_added() {
        let xff = HeaderName::from_static("x-forwarded-for");
        let request = request(
            "10.0.0.2:5000",
            &[("x-forwarded-for", "1.1.1.1, 2.2.2.2"), ("x-forwarded-for", "198.51.100.9, 203.0.113.7")],
        );
        assert_eq!(client_ip(&request, Some(&xff)), ip("203.0.113.7"));
    }

    #[test]
    fn a_single_address_header_may_carry_a_port_or_be_missing() {
        let real_ip = HeaderName::from_static("x-real-ip");
        assert_eq!(
            client_ip(&request("10.0.0.2:1", &[("x-real-ip", " 2001:db8::1 ")]), Some(&real_ip)),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_ip(&request("10.0.0.2:1", &[("x-real-ip", "[2001:db8::1]:443")]), Some(&real_ip)),
            ip("2001:db8::1")
        );
        assert_eq!(client_ip(&request("10.0.0.2:1", &[("x-real-ip", "unknown")]), Some(&real_ip)), ip("10.0.0.2"));
        assert_eq!(client_ip(&request("10.0.0.2:1", &[]), Some(&real_ip)), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_by_address() {
        assert_eq!(bucket("2001:db8:1:2:aaaa::1".parse().unwrap()), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(bucket("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7".parse::<IpAddr>().unwrap());
        assert_ne!(bucket("::ffff:203.0.113.7".parse().unwrap()), bucket("::ffff:203.0.113.8".parse().unwrap()));
    }

    #[test]
    fn assets_and_health_probes_are_not_counted() {
        assert!(exempt_from_global_limit("/pkg/papertrade.wasm"));
        assert!(exempt_from_global_limit("/readyz"));
        assert!(!exempt_from_global_limit("/api/place_order"));
        assert!(!exempt_from_global_limit("/"));
    }
}
