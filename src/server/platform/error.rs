//! Server-side glue for [`AppError`]: database errors become opaque errors (logged here, with
//! their context), every error is an HTTP answer of its own status (`IntoResponse`), and sets
//! the status of the server-function response it ends.

use crate::wire::error::sentence_case;
use crate::wire::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::cell::RefCell;
use std::future::Future;

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        let app_error = classify(&error);
        if app_error == AppError::Unavailable {
            tracing::warn!(%error, "database unavailable");
        } else {
            tracing::error!(%error, "database error");
        }
        app_error
    }
}

/// What a database error means for the client: [`AppError::Unavailable`] (503, "try again") when
/// the database cannot be reached or is going away, [`AppError::Internal`] (500) for anything else.
pub fn classify(error: &sqlx::Error) -> AppError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => {
            AppError::Unavailable
        }
        sqlx::Error::Database(database) if database.code().is_some_and(|code| is_unavailable(&code)) => {
            AppError::Unavailable
        }
        _ => AppError::Internal,
    }
}

/// SQLSTATEs of a server that cannot serve right now: connection exceptions (class 08), too many
/// connections, and shutdown or start-up (a restart, or `pg_terminate_backend`).
fn is_unavailable(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || matches!(sqlstate, "53300" | "57P01" | "57P02" | "57P03")
}

tokio::task_local! {
    /// The database failure behind a request that ends without an answer of ours: tower-sessions
    /// and axum-login answer a failed session load or save with a bare 500.
    static REQUEST_FAULT: RefCell<Option<AppError>>;
}

/// Records, for the request being served, what `error` means for the client (see
/// [`with_request_fault`]); does nothing outside a request.
pub fn note_request_fault(error: &sqlx::Error) {
    let _ = REQUEST_FAULT.try_with(|fault| *fault.borrow_mut() = Some(classify(error)));
}

/// Runs `request` and returns its output with the last database failure noted while it ran.
pub async fn with_request_fault<T>(request: impl Future<Output = T>) -> (T, Option<AppError>) {
    REQUEST_FAULT
        .scope(RefCell::new(None), async move {
            let output = request.await;
            (output, REQUEST_FAULT.with(|fault| fault.borrow_mut().take()))
        })
        .await
}

impl AppError {
    /// The HTTP status of this error's answer.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A plain route's answer for an error: its status, its sentence as text, and `Retry-After`
/// when trying again later is worth it.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status_code(), sentence_case(&self.to_string())).into_response();
        if let Some(secs) = retry_after_secs(&self) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// How long a client is asked to wait (`Retry-After`) before retrying an [`AppError::Unavailable`].
pub const RETRY_UNAVAILABLE_AFTER_SECS: u64 = 5;

/// How long a client should wait before retrying after `error`, if it is worth retrying.
pub fn retry_after_secs(error: &AppError) -> Option<u64> {
    match error {
        AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        AppError::Unavailable => Some(RETRY_UNAVAILABLE_AFTER_SECS),
        _ => None,
    }
}

/// Sets the response status of the running server function to the error's status, and counts
/// the error in the instance's metrics; use as `.map_err(respond)` on the way out.
///
/// Called while a page renders, the response is the page's: a page that redirects (a signed-out
/// visitor sent to log in) keeps its redirect, whichever of the two comes first.
pub fn respond(error: AppError) -> AppError {
    if let Some(state) = leptos::prelude::use_context::<crate::server::platform::state::AppState>() {
        state.metrics.server_function_failed(&error);
    }
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        let mut parts = response.0.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !parts.headers.contains_key(header::LOCATION) {
            parts.status = Some(error.status_code());
            if let Some(secs) = retry_after_secs(&error) {
                parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_unavailable_not_internal() {
        assert_eq!(classify(&sqlx::Error::PoolTimedOut), AppError::Unavailable);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(classify(&sqlx::Error::Io(refused)), AppError::Unavailable);
        assert_eq!(classify(&sqlx::Error::RowNotFound), AppError::Internal);
    }

    #[test]
    fn shutdown_and_connection_states_are_unavailable() {
        for code in ["57P01", "57P02", "57P03", "53300", "08006", "08001"] {
            assert!(is_unavailable(code), "{code}");
        }
        for code in ["23505", "40001", "42P01", "57014"] {
            assert!(!is_unavailable(code), "{code}");
        }
    }

    #[test]
    fn a_failing_server_function_sets_the_status_but_never_replaces_a_redirect() {
        use leptos::prelude::{provide_context, Owner};
        use leptos_axum::ResponseOptions;
        let status_after = |redirected: bool| {
            let owner = Owner::new();
            owner.with(|| {
                let response = ResponseOptions::default();
                provide_context(response.clone());
                if redirected {
                    response.set_status(StatusCode::FOUND);
                    response.insert_header(header::LOCATION, HeaderValue::from_static("/login?next=/dashboard"));
                }
                respond(AppError::Unauthorized);
                let status = response.0.read().unwrap().status;
                status
            })
        };
        assert_eq!(status_after(false), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(status_after(true), Some(StatusCode::FOUND));
    }

    #[test]
    fn an_error_answers_with_its_status_its_sentence_and_when_to_retry() {
        let busy = AppError::Unavailable.into_response();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], RETRY_UNAVAILABLE_AFTER_SECS.to_string());
        let refused = AppError::Invalid("enter a whole number".into()).into_response();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert!(!refused.headers().contains_key(header::RETRY_AFTER));
    }

    #[tokio::test]
    async fn a_fault_noted_during_a_request_is_handed_back() {
        let ((), fault) = with_request_fault(async { note_request_fault(&sqlx::Error::PoolTimedOut) }).await;
        assert_eq!(fault, Some(AppError::Unavailable));
        let ((), none) = with_request_fault(async {}).await;
        assert_eq!(none, None);
        note_request_fault(&sqlx::Error::PoolTimedOut); // outside a request: ignored
    }
}
