//! Google and GitHub sign-in settings. A provider is on when its client id and secret are both
//! set; its endpoints default to the real ones and can point anywhere (tests use local servers).

use crate::domain::AuthProvider;
use crate::server::config::ConfigError;
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

/// Where a provider's settings live in the environment, and the real endpoints.
struct Settings {
    provider: AuthProvider,
    client_id: &'static str,
    client_secret: &'static str,
    auth_url: (&'static str, &'static str),
    token_url: (&'static str, &'static str),
    profile_url: (&'static str, &'static str),
}

const GOOGLE: Settings = Settings {
    provider: AuthProvider::Google,
    client_id: "GOOGLE_CLIENT_ID",
    client_secret: "GOOGLE_CLIENT_SECRET",
    auth_url: ("GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth"),
    token_url: ("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"),
    profile_url: ("GOOGLE_USERINFO_URL", "https://openidconnect.googleapis.com/v1/userinfo"),
};

const GITHUB: Settings = Settings {
    provider: AuthProvider::Github,
    client_id: "GITHUB_CLIENT_ID",
    client_secret: "GITHUB_CLIENT_SECRET",
    auth_url: ("GITHUB_AUTH_URL", "https://github.com/login/oauth/authorize"),
    token_url: ("GITHUB_TOKEN_URL", "https://github.com/login/oauth/access_token"),
    profile_url: ("GITHUB_API_URL", "https://api.github.com"),
};

pub(super) fn google(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<OAuthProvider>, ConfigError> {
    provider(lookup, &GOOGLE)
}

pub(super) fn github(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<OAuthProvider>, ConfigError> {
    provider(lookup, &GITHUB)
}

fn provider(
    lookup: &impl Fn(&str) -> Option<String>,
    settings: &Settings,
) -> Result<Option<OAuthProvider>, ConfigError> {
    let set = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let (client_id, client_secret) = match (set(settings.client_id), set(settings.client_secret)) {
        (None, None) => return Ok(None),
        (Some(id), Some(secret)) => (id, secret),
        (Some(_), None) => return Err(missing_pair(settings.client_secret, settings.client_id)),
        (None, Some(_)) => return Err(missing_pair(settings.client_id, settings.client_secret)),
    };
    let url = |(var, default): (&'static str, &str)| -> Result<String, ConfigError> {
        let value = set(var).unwrap_or_else(|| default.to_owned());
        match oauth2::url::Url::parse(&value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(value.trim_end_matches('/').to_owned()),
            _ => Err(ConfigError { var, problem: format!("is {value:?}: should be an http(s):// URL") }),
        }
    };
    Ok(Some(OAuthProvider {
        provider: settings.provider,
        client_id: ClientId::new(client_id),
        client_secret: ClientSecret::new(client_secret),
        auth_url: url(settings.auth_url)?,
        token_url: url(settings.token_url)?,
        profile_url: url(settings.profile_url)?,
    }))
}

fn missing_pair(missing: &'static str, present: &str) -> ConfigError {
    ConfigError { var: missing, problem: format!("is not set, but {present} is; set both to enable this sign-in") }
}
