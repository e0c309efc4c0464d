//! Who is signed in, as the pages see them.

use crate::domain::AuthProvider;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in person, as the interface shows them. Never carries secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: Uuid,
    pub username: String,
    pub email: Option<String>,
    /// Whether the email was confirmed (a mailed link, or the provider vouching for it).
    pub email_verified: bool,
    pub provider: AuthProvider,
    pub avatar_url: Option<String>,
    pub has_password: bool,
}

impl Viewer {
    pub fn is_guest(&self) -> bool {
        self.provider == AuthProvider::Guest
    }

    /// A password account whose email is not confirmed yet: the pages ask them to.
    pub fn needs_to_verify_email(&self) -> bool {
        self.provider == AuthProvider::Local && !self.email_verified
    }
}

/// Whether a page is rendered for someone signed in. The server works it out from the request
/// before it renders a page (so the private pages' layout needs no waiting), and the page carries
/// it to the browser for hydration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ViewerStatus {
    SignedIn(Viewer),
    SignedOut,
    /// The sign-in could not be checked (the database is unreachable).
    Unknown,
}
