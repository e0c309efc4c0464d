//! Bounds on one request: its body may hold at most [`MAX_BODY_BYTES`] (413 after that), and the
//! server must start answering within `REQUEST_TIMEOUT_SECS` (503 after that).
//!
//! The timeout bounds the wait for the response to *start*. A response that has started is never
//! cut: a live event stream (`GET /events`) opens at once and then runs for minutes, and a large
//! static file keeps downloading on a slow connection.

use crate::api::AppError;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Json, Response};
use tower_http::limit::RequestBodyLimitLayer;

/// Every form and server-function call fits many times over; nothing here takes uploads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Refuses bodies over [`MAX_BODY_BYTES`]: at once when `Content-Length` says so, otherwise
/// when reading passes the limit.
pub fn body_limit() -> RequestBodyLimitLayer {
    RequestBodyLimitLayer::new(MAX_BODY_BYTES)
}

/// Middleware, outside [`body_limit`]: gives its terse 413 ("length limit exceeded") a message
/// people and the server-function client understand. Nothing else here answers 413.
pub async fn explain_too_large(request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let message = format!("the request is too large: at most {} KiB may be sent", MAX_BODY_BYTES / 1024);
    refusal(server_fn, StatusCode::PAYLOAD_TOO_LARGE, AppError::Invalid(message))
}

/// Middleware: answers 503 when the response has not started within the configured timeout.
/// 503 rather than 408: the client did nothing wrong, and browsers silently resend a request
/// answered 408.
pub async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let path = request.uri().path().to_owned();
    let timeout = state.config.request_timeout;
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, ?timeout, "a request took too long and was abandoned");
            let mut response = refusal(server_fn, StatusCode::SERVICE_UNAVAILABLE, AppError::Unavailable);
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            response
        }
    }
}

/// Server functions get the JSON error their client decodes; other paths a sentence.
fn refusal(server_fn: bool, status: StatusCode, error: AppError) -> Response {
    if server_fn {
        (status, Json(error)).into_response()
    } else {
        (status, format!("{}.", crate::api::error::sentence_case(&error.to_string()))).into_response()
    }
}
