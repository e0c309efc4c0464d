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
    #[error("please sign in to continue")]
    Unauthorized,
    #[error("you are not allowed to do that")]
    Forbidden,
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the service is busy right now; please try again in a moment")]
    Unavailable,
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The request never produced an answer from our code (network down, malformed response).
    #[error("could not reach Papertrade: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status code the server answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Unavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
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
    fn malformed_arguments_are_a_client_error() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::MissingArg("symbol".into()));
        assert_eq!(error.status(), 400);
    }

    #[test]
    fn internal_errors_say_nothing_about_internals() {
        assert_eq!(AppError::Internal.to_string(), "something went wrong on our side; please try again");
    }
}
