//! A request that carries a session id the store no longer has must not clear the cookie.
//!
//! tower-sessions answers such a request with a removal cookie. That races every change of id:
//! when a sign-in rotates the id (a login, connecting Google, a password change), a request the
//! page sent a moment earlier with the old id can be answered after the sign-in's own response,
//! and its removal cookie then wipes the new one — the learner is signed out. (Seen in the
//! Playwright run: a guest connecting Google while the page was still hydrating.)
//!
//! A stale id opens nothing — the store has no session under it — so keeping it in the browser
//! costs nothing, and the next sign-in replaces it. A session that was ended in this request
//! (log-out, an expired lifetime, a changed password) was flushed, which marks it modified: its
//! removal cookie stays.

use crate::server::accounts::session::COOKIE_NAME;
use axum::extract::Request;
use axum::http::header::SET_COOKIE;
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

/// The response's mark: this request's session id was unknown, and nothing changed it.
#[derive(Clone, Copy)]
struct UnknownSessionUntouched;

/// Inside the session layer: marks the response of a request whose session id named no
/// session and that did not change the session.
pub async fn mark_unknown_sessions(request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let mut response = next.run(request).await;
    if let Some(session) = session {
        if !session.is_modified() && session.is_empty().await {
            response.extensions_mut().insert(UnknownSessionUntouched);
        }
    }
    response
}

/// Outside the session layer: drops the removal cookie of a marked response.
pub async fn keep_cookie_of_unknown_sessions(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.extensions().get::<UnknownSessionUntouched>().is_some() {
        let prefix = format!("{COOKIE_NAME}=");
        let kept: Vec<_> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter(|value| !value.to_str().is_ok_and(|cookie| cookie.starts_with(&prefix)))
            .cloned()
            .collect();
        response.headers_mut().remove(SET_COOKIE);
        for value in kept {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}
