//! Security headers on every response: pages, server functions, static files, errors and the
//! event stream alike.
//!
//! The Content-Security-Policy allows scripts only from this origin and inline scripts only with
//! a fresh per-request nonce (never `'unsafe-inline'`): the middleware makes the nonce, puts it in
//! the request's extensions and in the header, and [`provide_nonce`] hands the same value to
//! Leptos, whose hydration and streaming scripts carry it. `'wasm-unsafe-eval'` lets the page
//! compile its WebAssembly; it does not allow `eval` of JavaScript.
//!
//! Choices, for the record:
//! - `style-src 'self'` without `'unsafe-inline'`: the app has no inline styles or `style`
//!   attributes (the charts and the donut are styled by class from the stylesheet).
//! - `img-src 'self' data:`: avatars are shown as initials, never loaded from their URL.
//! - `form-action 'self'`: sign-in with Google or GitHub starts from a link (a GET to our own
//!   `/auth/{provider}`, which redirects), not from a form posting to the provider.
//! - `Referrer-Policy: strict-origin-when-cross-origin`, not `no-referrer`: a form posted without
//!   JavaScript is sent back to the page it came from by its same-origin `Referer`.
//! - HSTS only when `PUBLIC_URL` is https: sent over plain http it would be ignored at best.

use crate::server::platform::config::Config;
use crate::server::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};

/// This request's CSP nonce, in its extensions.
#[derive(Clone)]
struct CspNonce(Nonce);

/// Middleware: the outermost layer, so every response gets the headers, even the ones other
/// middleware answers by itself (429, 413, 503, 403).
pub async fn add(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // 16 random bytes from a cryptographically secure generator, URL-safe base64.
    let nonce = Nonce::new();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    set_headers(response.headers_mut(), &nonce, &state.config);
    response
}

/// For the Leptos context (`leptos_routes_with_context`, `file_and_error_handler_with_context`):
/// makes this request's nonce the one Leptos renders into its scripts, replacing the one Leptos
/// made itself (which the header would not name).
pub fn provide_nonce() {
    let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(nonce);
    }
}

fn set_headers(headers: &mut HeaderMap, nonce: &Nonce, config: &Config) {
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(
        HeaderName::from_static("permissions-policy"),
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
    );
    set(header::X_FRAME_OPTIONS, "DENY");
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if config.public_url.as_deref().is_some_and(|url| url.starts_with("https://")) {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    // The nonce is URL-safe base64, so the policy is always a valid header value.
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(nonce, config.leptos_watch)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// The policy for one response. `dev_reload`: `cargo leptos watch` is serving, and its reload
/// script talks to a websocket on another port.
fn content_security_policy(nonce: &str, dev_reload: bool) -> String {
    let connect = if dev_reload { "'self' ws:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src {connect}; object-src 'none'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_need_this_origin_or_the_nonce_and_nothing_inline() {
        let policy = content_security_policy("abc-_123", false);
        let script_src = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap();
        assert_eq!(script_src, "script-src 'self' 'nonce-abc-_123' 'wasm-unsafe-eval'");
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("connect-src 'self';"));
        assert!(content_security_policy("n", true).contains("connect-src 'self' ws:;"));
    }

    #[test]
    fn nonces_are_fresh_and_header_safe() {
        let (first, second) = (Nonce::new(), Nonce::new());
        assert_ne!(first, second);
        assert!(first.len() >= 22, "at least 128 bits: {first}");
        assert!(first.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{first}");
    }
}
