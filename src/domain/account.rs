//! How an account signs in.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthProvider {
    /// Email + password.
    Local,
    Google,
    Github,
    /// A one-click trial account with no credentials yet.
    Guest,
}

impl AuthProvider {
    /// The providers someone can sign in with through OAuth.
    pub const OAUTH: [AuthProvider; 2] = [AuthProvider::Google, AuthProvider::Github];

    /// An OAuth provider by the name used in its routes (`/auth/google`) and in the database.
    pub fn oauth_from_str(name: &str) -> Option<AuthProvider> {
        AuthProvider::OAUTH.into_iter().find(|provider| provider.as_str() == name)
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            AuthProvider::Local => "Email and password",
            AuthProvider::Google => "Google",
            AuthProvider::Github => "GitHub",
            AuthProvider::Guest => "Guest",
        }
    }

    /// The value stored in `users.provider`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthProvider::Local => "local",
            AuthProvider::Google => "google",
            AuthProvider::Github => "github",
            AuthProvider::Guest => "guest",
        }
    }
}

/// Which way a trade went; stored in `trades.side`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// `buy` or `sell`, as stored and as forms send them.
    pub fn parse(text: &str) -> Option<Side> {
        match text.trim() {
            "buy" => Some(Side::Buy),
            "sell" => Some(Side::Sell),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}
