//! Who the provider says signed in: Google's OpenID Connect userinfo, or GitHub's REST API.

use crate::domain::AuthProvider;
use crate::server::accounts::oauth::OAuthError;
use crate::server::platform::config::OAuthProvider;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The provider account, as much as we use of it.
#[derive(Debug, Clone)]
pub struct ProviderProfile {
    pub provider: AuthProvider,
    /// Google's `sub`, GitHub's numeric `id`: stable for the life of the provider account.
    pub provider_id: String,
    pub email: Option<String>,
    /// Only a verified email may link to an existing Papertrade account.
    pub email_verified: bool,
    /// A display name or handle, the seed of a username.
    pub name: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct GoogleUserinfo {
    sub: String,
    email: Option<String>,
    #[serde(default)]
    email_verified: bool,
    name: Option<String>,
    picture: Option<String>,
}

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    login: String,
    avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

pub async fn fetch_profile(
    http: &reqwest::Client,
    settings: &OAuthProvider,
    access_token: &str,
) -> Result<ProviderProfile, OAuthError> {
    match settings.provider {
        AuthProvider::Github => github(http, &settings.profile_url, access_token).await,
        _ => google(http, &settings.profile_url, access_token).await,
    }
}

async fn google(http: &reqwest::Client, userinfo_url: &str, token: &str) -> Result<ProviderProfile, OAuthError> {
    let info: GoogleUserinfo = get_json(http, userinfo_url, token).await?;
    if info.sub.is_empty() {
        return Err(OAuthError::Profile("userinfo without a subject".into()));
    }
    Ok(ProviderProfile {
        provider: AuthProvider::Google,
        provider_id: info.sub,
        email_verified: info.email.is_some() && info.email_verified,
        email: info.email,
        name: info.name,
        avatar_url: info.picture.filter(|url| url.starts_with("https://")),
    })
}

async fn github(http: &reqwest::Client, api_url: &str, token: &str) -> Result<ProviderProfile, OAuthError> {
    let user: GithubUser = get_json(http, &format!("{api_url}/user"), token).await?;
    let emails: Vec<GithubEmail> = get_json(http, &format!("{api_url}/user/emails"), token).await?;
    let primary = emails.into_iter().find(|email| email.primary);
    Ok(ProviderProfile {
        provider: AuthProvider::Github,
        provider_id: user.id.to_string(),
        email_verified: primary.as_ref().is_some_and(|email| email.verified),
        email: primary.map(|email| email.email),
        name: Some(user.login),
        avatar_url: user.avatar_url.filter(|url| url.starts_with("https://")),
    })
}

async fn get_json<T: DeserializeOwned>(http: &reqwest::Client, url: &str, token: &str) -> Result<T, OAuthError> {
    let failed = |error: reqwest::Error| OAuthError::Profile(error.without_url().to_string());
    http.get(url)
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(failed)?
        .error_for_status()
        .map_err(failed)?
        .json()
        .await
        .map_err(failed)
}
