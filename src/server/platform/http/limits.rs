//! Bounds on one request: its body may hold at most [`MAX_BODY_BYTES`] (413 after that), and the
//! server must start answering within `REQUEST_TIMEOUT_SECS` (503 after that). Both answers say
//! what happened: in words, or as the JSON error the server-function client decodes.
//!
//! The timeout bounds the wait for the response to *start*, and for a streamed HTML page also its
//! end: Leptos 0.8 occasionally never finishes a page whose resources have all resolved (about one
//! page in 5,000 under our fuzz run; leptos-rs/leptos#4851), and such a page is ended at the
//! deadline rather than holding its connection forever. Other responses that have started are
//! never cut: a live event stream (`GET /events`) runs for minutes, and a large static file keeps
//! downloading on a slow connection.

use crate::server::platform::http::failures::is_server_fn;

use crate::server::platform::http::failures::refusal;
use crate::server::platform::state::AppState;
use crate::wire::AppError;
use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Every form and server-function call fits many times over; nothing here takes uploads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Middleware: refuses a body over [`MAX_BODY_BYTES`] with 413 — at once when `Content-Length`
/// says so, otherwise once reading it passes the limit (a chunked body has no length). The body
/// is read here, so handlers get it whole and never meet the limit half-way.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let server_fn = is_server_fn(request.uri().path());
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return too_large(server_fn);
    }
    if request.body().size_hint().exact() == Some(0) {
        return next.run(request).await; // GETs, the event stream: nothing to read
    }
    let (parts, body) = request.into_parts();
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Err(error) if error.is::<LengthLimitError>() => too_large(server_fn),
        Err(error) => {
            tracing::debug!(%error, "could not read a request body");
            let message = "the request body could not be read";
            refusal(server_fn, StatusCode::BAD_REQUEST, AppError::Invalid(message.into()), sentence(message))
        }
    }
}

fn too_large(server_fn: bool) -> Response {
    let message = format!("the request is too large: at most {} KiB may be sent", MAX_BODY_BYTES / 1024);
    refusal(server_fn, StatusCode::PAYLOAD_TOO_LARGE, AppError::Invalid(message.clone()), sentence(&message))
}

/// Middleware: answers 503 when the response has not started within the configured timeout.
/// 503 rather than 408: the client did nothing wrong, and browsers silently resend a request
/// answered 408.
pub async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let timeout = state.config.request_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    match tokio::time::timeout_at(deadline, next.run(request)).await {
        Ok(response) if is_html(&response) => {
            let path = uri.path().to_owned();
            response.map(|body| finished_by(body, deadline, path))
        }
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(path = uri.path(), ?timeout, "a request took too long and was abandoned");
            let error = AppError::Unavailable;
            let text = sentence(&error.to_string());
            refusal(is_server_fn(uri.path()), StatusCode::SERVICE_UNAVAILABLE, error, text)
        }
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// `body`, ended at `deadline` if it is still streaming then.
fn finished_by(body: Body, deadline: tokio::time::Instant, path: String) -> Body {
    use futures_util::StreamExt;
    let chunks = futures_util::stream::unfold(Some(body.into_data_stream()), move |chunks| {
        let path = path.clone();
        async move {
            let mut chunks = chunks?;
            match tokio::time::timeout_at(deadline, chunks.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(chunks))),
                Ok(None) => None,
                Err(_) => {
                    tracing::warn!(%path, "a page was still rendering at the request deadline; ended it there");
                    None
                }
            }
        }
    });
    // Fused: a reader that asks again after the end (the compression layer does) gets the end
    // again instead of a panic.
    Body::from_stream(chunks.fuse())
}

fn sentence(message: &str) -> String {
    format!("{}.", crate::wire::error::sentence_case(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_page_that_never_finishes_ends_at_the_deadline_with_what_it_sent() {
        let sent = futures_util::stream::iter([Ok::<_, std::io::Error>("<html>partial")]);
        let stalled = Body::from_stream(futures_util::StreamExt::chain(sent, futures_util::stream::pending()));
        let deadline = tokio::time::Instant::now() + Duration::from_millis(200);
        let body = finished_by(stalled, deadline, "/dashboard".into());
        let collected = tokio::time::timeout(Duration::from_secs(10), body.collect()).await;
        let bytes = collected.expect("the body ends").expect("cleanly").to_bytes();
        assert_eq!(&bytes[..], b"<html>partial");
    }

    #[tokio::test]
    async fn a_page_that_finishes_in_time_is_whole() {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let body = finished_by(Body::from("<html>whole</html>"), deadline, "/".into());
        assert_eq!(&body.collect().await.unwrap().to_bytes()[..], b"<html>whole</html>");
    }
}
