//! `GET /metrics` (Prometheus text format) and the middleware that times every request.
//!
//! Who may scrape: with neither `METRICS_TOKEN` nor `METRICS_ALLOW` set, only clients on this
//! host that connect directly (loopback, no proxy headers — the usual ones, and the one named by
//! `TRUSTED_PROXY_HEADER`, which our own proxy sets); `METRICS_ALLOW` lists the addresses
//! and ranges instead; `METRICS_TOKEN` additionally requires `Authorization: Bearer <token>`
//! (alone, from any address). The address is the TCP peer's: proxy headers are never trusted.

use crate::server::platform::config::MetricsAccess;

use crate::server::platform::config::MetricsClients;
use crate::server::platform::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use tokio::time::Instant;

const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
const PROXY_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];
/// Methods counted by name; any other (extension methods are unbounded) counts as `other`.
const KNOWN_METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

pub async fn scrape(State(state): State<AppState>, request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let proxy_header = state.config.trusted_proxy_header.as_ref();
    match admit(&state.config.metrics, peer, request.headers(), proxy_header) {
        Ok(()) => {
            let text = state.metrics.render(&state.pool, state.live.hub.streams_open());
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ];
            (headers, text).into_response()
        }
        Err(refusal) => {
            tracing::debug!(?peer, ?refusal, "refused a metrics request");
            refusal.into_response()
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// Loopback only (nothing configured) and this client is elsewhere or behind a proxy.
    NotLocal,
    /// Not in `METRICS_ALLOW`.
    NotListed,
    /// `METRICS_TOKEN` is set and the request did not present it.
    NoToken,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::NotLocal => (
                StatusCode::FORBIDDEN,
                "Metrics are served only to clients on this host that connect directly. \
                 Set METRICS_TOKEN or METRICS_ALLOW to scrape from elsewhere.\n",
            )
                .into_response(),
            Refusal::NotListed => {
                (StatusCode::FORBIDDEN, "Metrics are not served to this address (METRICS_ALLOW).\n").into_response()
            }
            Refusal::NoToken => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Bearer realm="metrics""#))],
                "Metrics need the token: Authorization: Bearer <METRICS_TOKEN>.\n",
            )
                .into_response(),
        }
    }
}

fn admit(
    access: &MetricsAccess,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    proxy_header: Option<&HeaderName>,
) -> Result<(), Refusal> {
    let forwarded = PROXY_HEADERS.iter().any(|name| headers.contains_key(*name))
        || proxy_header.is_some_and(|name| headers.contains_key(name));
    let admitted = match (&access.clients, peer) {
        (MetricsClients::Anyone, _) => true,
        (clients, Some(peer)) => clients.admits(peer, forwarded),
        (_, None) => false,
    };
    if !admitted {
        return Err(match access.clients {
            MetricsClients::Listed(_) => Refusal::NotListed,
            _ => Refusal::NotLocal,
        });
    }
    match &access.token {
        Some(token) if !bearer(headers).is_some_and(|presented| token.matches(presented)) => Err(Refusal::NoToken),
        _ => Ok(()),
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Middleware: times each request to its response headers and counts it under its route
/// template (`/stocks/{symbol}`, `/api/place_order`). Requests no route matched are `static`
/// when the fallback served a file and `unmatched` otherwise, never their raw path.
pub async fn track_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status();
    let route = route.unwrap_or_else(|| {
        let served = status.is_success() || status.is_redirection();
        (if served { "static" } else { "unmatched" }).to_owned()
    });
    state.metrics.request(method, route, status.as_u16(), started.elapsed());
    response
}

fn method_label(method: &Method) -> &'static str {
    KNOWN_METHODS.into_iter().find(|known| *known == method.as_str()).unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::platform::config::MetricsToken;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (header::HeaderName::from_static(name), value.parse().unwrap())).collect()
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    fn token() -> Option<MetricsToken> {
        Some(MetricsToken::parse("0123456789abcdef").unwrap())
    }

    #[test]
    fn by_default_only_direct_local_clients_may_scrape() {
        let access = MetricsAccess { clients: MetricsClients::LoopbackOnly, token: None };
        assert_eq!(admit(&access, ip("127.0.0.1"), &headers(&[]), None), Ok(()));
        assert_eq!(admit(&access, ip("203.0.113.9"), &headers(&[]), None), Err(Refusal::NotLocal));
        let proxied = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(admit(&access, ip("127.0.0.1"), &proxied, None), Err(Refusal::NotLocal));
        assert_eq!(admit(&access, None, &headers(&[]), None), Err(Refusal::NotLocal));
    }

    #[test]
    fn our_proxys_own_header_means_the_client_is_elsewhere() {
        let access = MetricsAccess { clients: MetricsClients::LoopbackOnly, token: None };
        let ours = HeaderName::from_static("x-client-address");
        let proxied = headers(&[("x-client-address", "203.0.113.9")]);
        assert_eq!(admit(&access, ip("127.0.0.1"), &proxied, Some(&ours)), Err(Refusal::NotLocal));
        assert_eq!(admit(&access, ip("127.0.0.1"), &headers(&[]), Some(&ours)), Ok(()));
    }

    #[test]
    fn a_token_is_checked_after_the_address() {
        let anywhere = MetricsAccess { clients: MetricsClients::Anyone, token: token() };
        let good = headers(&[("authorization", "bearer 0123456789abcdef")]);
        assert_eq!(admit(&anywhere, ip("203.0.113.9"), &good, None), Ok(()));
        assert_eq!(admit(&anywhere, None, &good, None), Ok(()));
        let wrong = headers(&[("authorization", "Bearer 0123456789abcdeX")]);
        assert_eq!(admit(&anywhere, ip("203.0.113.9"), &wrong, None), Err(Refusal::NoToken));
        let basic = headers(&[("authorization", "Basic 0123456789abcdef")]);
        assert_eq!(admit(&anywhere, ip("203.0.113.9"), &basic, None), Err(Refusal::NoToken));

        let listed =
            MetricsAccess { clients: MetricsClients::Listed(vec!["10.0.0.0/8".parse().unwrap()]), token: token() };
        assert_eq!(admit(&listed, ip("203.0.113.9"), &good, None), Err(Refusal::NotListed));
        assert_eq!(admit(&listed, ip("10.0.0.5"), &headers(&[]), None), Err(Refusal::NoToken));
        assert_eq!(admit(&listed, ip("10.0.0.5"), &good, None), Ok(()));
    }

    #[test]
    fn unusual_methods_share_one_label() {
        assert_eq!(method_label(&Method::POST), "POST");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
