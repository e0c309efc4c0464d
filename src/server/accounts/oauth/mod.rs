//! Sign-in with Google and GitHub: the authorization-code flow with PKCE (S256) and a
//! single-use state, the provider profile, and the Papertrade account it signs in to.

mod client;
mod error;
mod profile;
mod resolve;
pub mod routes;

pub use client::{authorize, exchange, http_client, Authorization, Tokens};
pub use error::OAuthError;
pub use profile::{fetch_profile, ProviderProfile};
pub use resolve::{account_for, Intent};
