//! Bounds on one request: its body may hold at most [`MAX_BODY_BYTES`] (413 after that), and the
//! server must start answering within `REQUEST_TIMEOUT_SECS` (503 after that). Both answers say
//! what happened: in words, or as the JSON error the server-function client decodes.
//!
//! The timeout bounds the wait for the response to *start*. A response that has started is never
//! cut: a live event stream (`GET /events`) opens at once and then runs for minutes, and a large
//! static file keeps downloading on a slow connection.

use crate::api::AppError;
use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Json, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Every form and server-function call fits many times over; nothing here takes uploads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Middleware: refuses a body over [`MAX_BODY_BYTES`] with 413 — at once when `Content-Length`
/// says so, otherwise once reading it passes the limit (a chunked body has no length). The body
/// is read here, so handlers get it whole and never meet the limit half-way.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return too_large(server_fn);
    }
    let (parts, body) = request.into_parts();
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Err(error) if error.is::<LengthLimitError>() => too_large(server_fn),
        Err(error) => {
            tracing::debug!(%error, "could not read a request body");
            refusal(server_fn, StatusCode::BAD_REQUEST, AppError::Invalid("the request body could not be read".into()))
        }
    }
}

fn too_large(server_fn: bool) -> Response {
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
