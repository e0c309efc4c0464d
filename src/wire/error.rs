//! The one error type every server function returns, with a real HTTP status for each case.
//!
//! Internal failures are logged on the server with their context and reach the client only as
//! the opaque [`AppError::Internal`]; no SQL or internal text ever crosses the wire.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The request was understood but its input is wrong; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// One form field is wrong; the UI shows `message` next to the field named `field`.
    #[error("{message}")]
    InvalidField { field: String, message: String },
    #[error("please sign in to continue")]
    Unauthorized,
    #[error("you are not allowed to do that")]
    Forbidden,
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("the service is busy right now; please try again in a moment")]
    Unavailable,
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The request never produced an answer from our code (network down, malformed response).
    #[error("could not reach Papertrade: {0}")]
    Transport(String),
}

impl AppError {
    /// Every status [`AppError::status`] answers with.
    pub const STATUSES: [u16; 8] = [400, 401, 403, 404, 409, 429, 500, 503];

    /// The HTTP status code the server answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::InvalidField { .. } => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl AppError {
    pub fn field(field: &str, message: impl std::fmt::Display) -> AppError {
        AppError::InvalidField { field: field.to_owned(), message: sentence_case(&message.to_string()) }
    }

    /// The message for `field`, if this error is about that field.
    pub fn message_for(&self, name: &str) -> Option<String> {
        match self {
            AppError::InvalidField { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

/// Domain errors read as clauses ("enter an amount"); shown alone they start a sentence.
pub fn sentence_case(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                AppError::Invalid(format!("the request was malformed: {detail}"))
            }
            // On the server, decoding only ever happens to a request's body: the client's fault.
            // (In the browser the same error means our answer could not be read: Transport.)
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(detail) => {
                AppError::Invalid(format!("the request was malformed: {detail}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_real_status() {
        assert_eq!(AppError::Invalid("x".into()).status(), 400);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::NotFound("AAPL".into()).status(), 404);
        assert_eq!(AppError::Unavailable.status(), 503);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn statuses_lists_every_status_an_error_can_have() {
        let every = [
            AppError::Invalid("x".into()),
            AppError::field("f", "x"),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotFound("x".into()),
            AppError::Conflict("x".into()),
            AppError::RateLimited { retry_after_secs: 1 },
            AppError::Unavailable,
            AppError::Internal,
            AppError::Transport("x".into()),
        ];
        for error in every {
            assert!(AppError::STATUSES.contains(&error.status()), "{error:?}");
        }
    }

    #[test]
    fn malformed_arguments_are_a_client_error() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::MissingArg("symbol".into()));
        assert_eq!(error.status(), 400);
    }

    #[test]
    fn internal_errors_say_nothing_about_internals() {
        assert_eq!(AppError::Internal.to_string(), "something went wrong on our side; please try again");
    }
}
