//! Answers for requests that failed outside our handlers. tower-sessions and axum-login answer a
//! failed session load or save (the database is down, or a connection died) with a bare 500: no
//! body, which the browser's server-function client cannot read and a person cannot understand.
//! This middleware, around the session layers, replaces any bare 500 with our answer: 503 "try
//! again in a moment" when the database could not be reached, else the opaque 500 — as JSON for
//! server functions, as a styled page for everything else. No internal detail is ever included.

use crate::server::platform::error::{retry_after_secs, with_request_fault};
use crate::server::platform::http::plain_page::plain_page;
use crate::wire::AppError;
use axum::body::HttpBody;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Json, Response};

/// Whether `path` is a server function's (its client reads JSON errors).
pub fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/")
}

pub async fn explain_bare_errors(request: Request, next: Next) -> Response {
    let server_function = is_server_fn(request.uri().path());
    let (response, fault) = with_request_fault(next.run(request)).await;
    if server_function && response.status() == StatusCode::METHOD_NOT_ALLOWED {
        return with_a_message(response, "server functions are called with POST");
    }
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    if response.body().size_hint().exact() != Some(0) {
        return if server_function { with_the_errors_own_status(response).await } else { response };
    }
    let error = fault.unwrap_or(AppError::Internal);
    tracing::warn!(status = error.status(), "answered a failed request that had no answer of its own");
    error_response(&error, server_function)
}

/// A bare refusal from the router (405 for a GET to a server function) gets the JSON error a
/// server-function client reads, with the same status and headers.
fn with_a_message(response: Response, message: &str) -> Response {
    if response.body().size_hint().exact() != Some(0) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_string(&AppError::Invalid(message.to_owned())).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Leptos answers every error that arises before a server function runs (its arguments could not
/// be decoded: a missing field, a duplicate, invalid UTF-8, an unknown variant) with 500, whatever
/// the error says; [`AppError::from_server_fn_error`] calls those 400s. This gives such answers the
/// status of the error they carry.
async fn with_the_errors_own_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        let error = AppError::Internal;
        return error_response(&error, true);
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The answer for `error`: the JSON a server-function client decodes, or a styled page.
pub fn error_response(error: &AppError, server_function: bool) -> Response {
    let status = error.status_code();
    let response = if server_function {
        let body = serde_json::to_string(error).unwrap_or_else(|_| "\"Internal\"".to_owned());
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, Html(error_page(error))).into_response()
    };
    with_retry_after(response, error)
}

/// A request refused before any handler ran (too large, too slow, too many): the JSON error a
/// server-function client decodes, or `sentence` for everyone else; `Retry-After` when the error
/// is worth retrying.
pub fn refusal(server_function: bool, status: StatusCode, error: AppError, sentence: String) -> Response {
    let response =
        if server_function { (status, Json(&error)).into_response() } else { (status, sentence).into_response() };
    with_retry_after(response, &error)
}

fn with_retry_after(mut response: Response, error: &AppError) -> Response {
    if let Some(secs) = retry_after_secs(error) {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

fn error_page(error: &AppError) -> String {
    match error {
        AppError::Unavailable => plain_page(
            "Papertrade is catching its breath",
            "We cannot reach our database just now. Your portfolio is safe; please try again in a moment.",
            ("", "Try again"),
        ),
        _ => plain_page(
            "Something went wrong on our side",
            "This page could not be shown. Please try again; if it keeps happening, come back a little later.",
            ("/", "Back to the home page"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn server_functions_get_the_error_as_json() {
        let response = error_response(&AppError::Unavailable, true);
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(serde_json::from_slice::<AppError>(&body).unwrap(), AppError::Unavailable);
    }

    #[tokio::test]
    async fn pages_get_a_styled_page() {
        let response = error_response(&AppError::Internal, false);
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Something went wrong on our side") && html.contains("papertrade.css"));
    }
}
