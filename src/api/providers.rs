//! Google and GitHub sign-in as the interface sees it: which providers this server offers, and
//! which the signed-in account has connected. The flows themselves are plain routes under `/auth`.

use crate::domain::AuthProvider;
use crate::wire::providers::ProviderConnection;
use crate::wire::AppError;
use leptos::prelude::*;

/// The providers this server is set up for; the log-in page shows a button for each.
#[server(prefix = "/api", endpoint = "sign_in_providers")]
pub async fn sign_in_providers() -> Result<Vec<AuthProvider>, AppError> {
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, .. }| async move {
        Ok(AuthProvider::OAUTH.into_iter().filter(|provider| state.config.oauth(*provider).is_some()).collect())
    })
    .await
}

/// The signed-in account's providers: connected ones with their date, and those it could connect.
#[server(prefix = "/api", endpoint = "connected_providers")]
pub async fn connected_providers() -> Result<Vec<ProviderConnection>, AppError> {
    use crate::server::accounts::repo::identities;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        let connected = identities::connected(&state.pool, user.id).await?;
        Ok(AuthProvider::OAUTH
            .into_iter()
            .map(|provider| ProviderConnection {
                provider,
                available: state.config.oauth(provider).is_some(),
                connected_on: connected
                    .iter()
                    .find(|(name, _)| name == provider.as_str())
                    .map(|(_, since)| since.format("%Y-%m-%d").to_string()),
            })
            .filter(|connection| connection.available || connection.connected_on.is_some())
            .collect())
    })
    .await
}
