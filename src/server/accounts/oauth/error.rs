//! Why a sign-in through a provider did not complete, in words for the person and a status code.

use crate::domain::AuthProvider;

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("this provider is not configured")]
    NotConfigured,
    #[error("the provider reported {0}")]
    Denied(String),
    #[error("the callback carried no state")]
    StateMissing,
    #[error("no sign-in was started in this browser, or it was already used")]
    NotStarted,
    #[error("the callback's state does not match the one issued")]
    StateMismatch,
    #[error("the callback carried no code")]
    CodeMissing,
    #[error("token exchange failed: {0}")]
    Exchange(String),
    #[error("profile request failed: {0}")]
    Profile(String),
    #[error("the provider account is connected to another user")]
    ConnectedElsewhere(AuthProvider),
    #[error("the account was already connected to another {0:?} account")]
    AlreadyConnected(AuthProvider),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("session: {0}")]
    Session(String),
}

impl OAuthError {
    /// The provider's `error` parameter, kept to what RFC 6749 allows in an error code
    /// (printable ASCII but `"` and `\\`; anything else becomes `?`) and to 64 characters.
    pub fn denied(code: &str) -> OAuthError {
        let allowed = |c: char| matches!(c, ' '..='~') && c != '"' && c != '\\';
        OAuthError::Denied(code.chars().take(64).map(|c| if allowed(c) { c } else { '?' }).collect())
    }

    /// 400 for a request that cannot be honoured as sent, 502 when the provider let us down,
    /// 409 for a provider account that belongs elsewhere, 500 for our own failures.
    pub fn status(&self) -> u16 {
        match self {
            OAuthError::NotConfigured => 404,
            OAuthError::Denied(_)
            | OAuthError::StateMissing
            | OAuthError::NotStarted
            | OAuthError::StateMismatch
            | OAuthError::CodeMissing => 400,
            OAuthError::Exchange(_) | OAuthError::Profile(_) => 502,
            OAuthError::ConnectedElsewhere(_) | OAuthError::AlreadyConnected(_) => 409,
            OAuthError::Database(_) | OAuthError::Session(_) => 500,
        }
    }

    /// What the person sees: a heading and a sentence saying what to do.
    pub fn explain(&self, provider: AuthProvider) -> (&'static str, String) {
        let name = provider.label();
        match self {
            OAuthError::NotConfigured => {
                ("Sign-in not available", format!("{name} sign-in is not set up on this server."))
            }
            OAuthError::Denied(_) => (
                "Sign-in cancelled",
                format!("{name} did not confirm the sign-in. You can try again, or use another way to log in."),
            ),
            OAuthError::StateMissing | OAuthError::NotStarted | OAuthError::StateMismatch | OAuthError::CodeMissing => (
                "This sign-in link is not valid",
                "It may have expired, been used already, or been started in another browser. \
                 Please start the sign-in again from the log-in page."
                    .to_owned(),
            ),
            OAuthError::Exchange(_) | OAuthError::Profile(_) => (
                "We could not reach the provider",
                format!("{name} did not answer as expected, so you are not signed in. Please try again in a moment."),
            ),
            OAuthError::ConnectedElsewhere(_) => (
                "Already connected elsewhere",
                format!("This {name} account already signs in to another Papertrade account. Log out and sign in with {name} to use that account."),
            ),
            OAuthError::AlreadyConnected(_) => (
                "Another account is connected",
                format!("Your Papertrade account is already connected to a different {name} account."),
            ),
            OAuthError::Database(_) | OAuthError::Session(_) => (
                "Something went wrong",
                "We could not finish signing you in. Nothing was changed; please try again.".to_owned(),
            ),
        }
    }
}
