//! `GET /events`: the signed-in user's live event stream (Server-Sent Events). Same-site pages
//! only; a reconnecting browser's `Last-Event-ID` (or `?after=`) replays what it missed.

use crate::server::accounts::session::{self, AuthSession};
use crate::server::live::stream;
use crate::server::platform::http::origin::is_same_site;
use crate::server::platform::http::rate_limit::ClientBucket;
use crate::server::platform::state::AppState;
use crate::wire::AppError;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::time::Duration;

const KEEP_ALIVE_EVERY: Duration = Duration::from_secs(20);

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

pub async fn stream(
    State(state): State<AppState>,
    mut auth: AuthSession,
    headers: HeaderMap,
    extensions: Extensions,
    Query(query): Query<After>,
) -> Response {
    if !is_same_site(&headers, state.config.public_url.as_deref()) {
        tracing::warn!("refused a cross-site event stream");
        return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
    }
    let user = match session::require_user(&mut auth, &state.config).await {
        Ok(user) => user,
        Err(error) => return error.into_response(),
    };
    let last_event_id = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let after = match last_event_id.or(query.after).map(|text| text.trim().parse::<i64>()) {
        None => None,
        Some(Ok(after)) if after >= 0 => Some(after),
        Some(_) => return AppError::Invalid("Last-Event-ID must be a whole number".into()).into_response(),
    };
    let client = ClientBucket::of_parts(&extensions, &headers, state.config.trusted_proxy_header.as_ref()).address();
    match stream::open(&state, session::SignInProof::of(&auth, &user), user.id, client, after).await {
        Ok(events) => {
            let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE_EVERY)).into_response();
            let headers = response.headers_mut();
            headers.insert("cache-control", HeaderValue::from_static("no-store"));
            // Tell nginx-style proxies not to buffer the stream.
            headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
            response
        }
        Err(error) => error.into_response(),
    }
}
