//! Google and GitHub sign-in as the interface sees it: which providers this server offers, and
//! which the signed-in account has connected. The flows themselves are plain routes under `/auth`.

use crate::domain::AuthProvider;
use serde::{Deserialize, Serialize};

/// One provider on the settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderConnection {
    pub provider: AuthProvider,
    /// This server has the provider set up, so it can be connected.
    pub available: bool,
    /// The day it was connected (YYYY-MM-DD), when it is.
    pub connected_on: Option<String>,
}
