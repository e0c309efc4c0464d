//! Answers for requests that failed outside our handlers. tower-sessions and axum-login answer a
//! failed session load or save (the database is down, or a connection died) with a bare 500: no
//! body, which the browser's server-function client cannot read and a person cannot understand.
//! This middleware, around the session layers, replaces any bare 500 with our answer: 503 "try
//! again in a moment" when the database could not be reached, else the opaque 500 — as JSON for
//! server functions, as a styled page for everything else. No internal detail is ever included.

use super::plain_page::plain_page;
use crate::api::AppError;
use crate::server::error::{with_request_fault, RETRY_UNAVAILABLE_AFTER_SECS};
use axum::body::HttpBody;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

pub async fn explain_bare_errors(request: Request, next: Next) -> Response {
    let server_function = request.uri().path().starts_with("/api/");
    let (response, fault) = with_request_fault(next.run(request)).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || response.body().size_hint().exact() != Some(0) {
        return response;
    }
    let error = fault.unwrap_or(AppError::Internal);
    tracing::warn!(status = error.status(), "answered a failed request that had no answer of its own");
    error_response(&error, server_function)
}

/// The answer for `error`: the JSON a server-function client decodes, or a styled page.
pub fn error_response(error: &AppError, server_function: bool) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if server_function {
        let body = serde_json::to_string(error).unwrap_or_else(|_| "\"Internal\"".to_owned());
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, Html(error_page(error))).into_response()
    };
    if *error == AppError::Unavailable {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_UNAVAILABLE_AFTER_SECS));
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
