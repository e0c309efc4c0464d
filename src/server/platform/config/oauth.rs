//! Google and GitHub sign-in settings. A provider is on when its client id and secret are both
//! set; its endpoints default to the real ones and can point anywhere (tests use local servers).
//! They are checked only when the provider is on.

use super::args::{deferred, var, Deferred};
use super::values::http_url;
use super::ConfigError;
use crate::domain::AuthProvider;
use clap::builder::{StringValueParser, TypedValueParser};
use oauth2::{ClientId, ClientSecret};

/// One OAuth provider's client registration and endpoints. The secret's `Debug` is redacted.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    pub provider: AuthProvider,
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
    pub auth_url: String,
    pub token_url: String,
    /// Google: the OpenID Connect userinfo endpoint. GitHub: the REST API base (`/user`, `/user/emails`).
    pub profile_url: String,
}

/// Both providers' settings, as read.
#[derive(clap::Args)]
pub(super) struct OAuthArgs {
    #[arg(long, env = "GOOGLE_CLIENT_ID", value_parser = StringValueParser::new().map(ClientId::new))]
    google_client_id: Option<ClientId>,
    #[arg(long, env = "GOOGLE_CLIENT_SECRET", value_parser = StringValueParser::new().map(ClientSecret::new))]
    google_client_secret: Option<ClientSecret>,
    #[arg(long, env = "GOOGLE_AUTH_URL", default_value = "https://accounts.google.com/o/oauth2/v2/auth",
          value_parser = deferred(http_url))]
    google_auth_url: Deferred<String>,
    #[arg(long, env = "GOOGLE_TOKEN_URL", default_value = "https://oauth2.googleapis.com/token",
          value_parser = deferred(http_url))]
    google_token_url: Deferred<String>,
    #[arg(long, env = "GOOGLE_USERINFO_URL", default_value = "https://openidconnect.googleapis.com/v1/userinfo",
          value_parser = deferred(http_url))]
    google_userinfo_url: Deferred<String>,
    #[arg(long, env = "GITHUB_CLIENT_ID", value_parser = StringValueParser::new().map(ClientId::new))]
    github_client_id: Option<ClientId>,
    #[arg(long, env = "GITHUB_CLIENT_SECRET", value_parser = StringValueParser::new().map(ClientSecret::new))]
    github_client_secret: Option<ClientSecret>,
    #[arg(long, env = "GITHUB_AUTH_URL", default_value = "https://github.com/login/oauth/authorize",
          value_parser = deferred(http_url))]
    github_auth_url: Deferred<String>,
    #[arg(long, env = "GITHUB_TOKEN_URL", default_value = "https://github.com/login/oauth/access_token",
          value_parser = deferred(http_url))]
    github_token_url: Deferred<String>,
    #[arg(long, env = "GITHUB_API_URL", default_value = "https://api.github.com", value_parser = deferred(http_url))]
    github_api_url: Deferred<String>,
}

impl OAuthArgs {
    /// Google's and GitHub's settings, each when it is on.
    pub(super) fn into_providers(self) -> Result<(Option<OAuthProvider>, Option<OAuthProvider>), ConfigError> {
        let google = Registration {
            provider: AuthProvider::Google,
            pair: (self.google_client_id, self.google_client_secret),
            pair_ids: ("google_client_id", "google_client_secret"),
            auth_url: self.google_auth_url,
            token_url: self.google_token_url,
            profile_url: self.google_userinfo_url,
        };
        let github = Registration {
            provider: AuthProvider::Github,
            pair: (self.github_client_id, self.github_client_secret),
            pair_ids: ("github_client_id", "github_client_secret"),
            auth_url: self.github_auth_url,
            token_url: self.github_token_url,
            profile_url: self.github_api_url,
        };
        Ok((google.into_provider()?, github.into_provider()?))
    }
}

/// One provider's settings, as read.
struct Registration {
    provider: AuthProvider,
    pair: (Option<ClientId>, Option<ClientSecret>),
    /// The arguments of the id and the secret, to name their variables when one is missing.
    pair_ids: (&'static str, &'static str),
    auth_url: Deferred<String>,
    token_url: Deferred<String>,
    profile_url: Deferred<String>,
}

impl Registration {
    fn into_provider(self) -> Result<Option<OAuthProvider>, ConfigError> {
        let (id, secret) = self.pair_ids;
        let (client_id, client_secret) = match self.pair {
            (None, None) => return Ok(None),
            (Some(client_id), Some(client_secret)) => (client_id, client_secret),
            (Some(_), None) => return Err(missing_pair(var(secret), var(id))),
            (None, Some(_)) => return Err(missing_pair(var(id), var(secret))),
        };
        Ok(Some(OAuthProvider {
            provider: self.provider,
            client_id,
            client_secret,
            auth_url: self.auth_url?,
            token_url: self.token_url?,
            profile_url: self.profile_url?,
        }))
    }
}

fn missing_pair(missing: &'static str, present: &str) -> ConfigError {
    ConfigError { var: missing, problem: format!("is not set, but {present} is; set both to enable this sign-in") }
}
