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
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}
