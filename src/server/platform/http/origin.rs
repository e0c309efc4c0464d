//! Cross-site request refusal: a state-changing request (anything but GET, HEAD, OPTIONS) that a
//! browser marks as coming from another site is answered 403. Server functions included.
//!
//! A browser sends `Sec-Fetch-Site` and `Origin` with such requests; both must say "this site"
//! (the request's own `Host`, or the configured `PUBLIC_URL`). Clients that send neither, like
//! curl, are not browsers and cannot carry a victim's cookies, so they pass.

use crate::server::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe_method || is_same_site(request.headers(), state.config.public_url.as_deref()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
    (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response()
}

pub fn is_same_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    let Some(origin) = text(header::ORIGIN) else { return true };
    let origin_authority = origin.split_once("://").map(|(_, rest)| rest);
    let host = text(header::HOST);
    let public_authority = public_url.and_then(|url| url.split_once("://")).map(|(_, rest)| rest);
    origin_authority.is_some() && (origin_authority == host || origin_authority == public_authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (header::HeaderName::from_static(k), v.parse().unwrap())).collect()
    }

    #[test]
    fn same_site_browsers_and_non_browsers_pass() {
        assert!(is_same_site(&headers(&[("host", "a.example"), ("origin", "https://a.example")]), None));
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin"), ("host", "a.example")]), None));
        assert!(is_same_site(&headers(&[("host", "a.example")]), None));
        assert!(is_same_site(
            &headers(&[("host", "internal:3000"), ("origin", "https://a.example")]),
            Some("https://a.example")
        ));
    }

    #[test]
    fn other_sites_are_refused() {
        assert!(!is_same_site(&headers(&[("host", "a.example"), ("origin", "https://evil.example")]), None));
        assert!(!is_same_site(&headers(&[("host", "a.example"), ("origin", "null")]), None));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site"), ("host", "a.example")]), None));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site"), ("host", "a.example")]), None));
    }
}
