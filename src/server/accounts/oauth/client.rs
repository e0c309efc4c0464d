//! The oauth2-crate client: the authorization URL (state + PKCE S256) and the code exchange.

use crate::domain::AuthProvider;
use crate::server::accounts::oauth::OAuthError;
use crate::server::platform::config::OAuthProvider;
use chrono::{DateTime, Utc};
use oauth2::basic::{BasicClient, BasicRequestTokenError};
use oauth2::{
    AuthUrl, AuthorizationCode, CsrfToken, EndpointNotSet, EndpointSet, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use std::time::Duration;

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The HTTP client for token exchanges and profile requests. It never follows redirects (a
/// redirected token request could carry the code and secret elsewhere) and gives up after 10 s.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .user_agent(concat!("papertrade/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a TLS backend is compiled in")
}

fn client(settings: &OAuthProvider, redirect_uri: &str) -> Result<Client, OAuthError> {
    let url_error = |error: oauth2::url::ParseError| OAuthError::Exchange(format!("bad endpoint URL: {error}"));
    Ok(BasicClient::new(settings.client_id.clone())
        .set_client_secret(settings.client_secret.clone())
        .set_auth_uri(AuthUrl::new(settings.auth_url.clone()).map_err(url_error)?)
        .set_token_uri(TokenUrl::new(settings.token_url.clone()).map_err(url_error)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(url_error)?))
}

fn scopes(provider: AuthProvider) -> &'static [&'static str] {
    match provider {
        AuthProvider::Github => &["read:user", "user:email"],
        _ => &["openid", "email", "profile"],
    }
}

/// Where to send the browser, and the secrets to keep in the session until it comes back.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub verifier: String,
}

pub fn authorize(settings: &OAuthProvider, redirect_uri: &str) -> Result<Authorization, OAuthError> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client(settings, redirect_uri)?
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes(settings.provider).iter().map(|scope| Scope::new((*scope).to_owned())))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Authorization { url: url.to_string(), state: state.secret().clone(), verifier: verifier.secret().clone() })
}

/// The provider's tokens. No `Debug`: they must not reach a log line by accident.
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Trades the authorization code (and the PKCE verifier) for tokens.
pub async fn exchange(
    http: &reqwest::Client,
    settings: &OAuthProvider,
    redirect_uri: &str,
    code: String,
    verifier: String,
) -> Result<Tokens, OAuthError> {
    let response = client(settings, redirect_uri)?
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(http)
        .await
        .map_err(describe)?;
    let expires_at = response
        .expires_in()
        .and_then(|lifetime| chrono::Duration::from_std(lifetime).ok())
        .map(|lifetime| Utc::now() + lifetime);
    Ok(Tokens {
        access_token: response.access_token().secret().clone(),
        refresh_token: response.refresh_token().map(|token| token.secret().clone()),
        expires_at,
    })
}

/// A loggable description: the provider's error code, or the kind of failure — never a body,
/// which on a half-parsed success could hold a token.
fn describe(error: BasicRequestTokenError<oauth2::HttpClientError<reqwest::Error>>) -> OAuthError {
    OAuthError::Exchange(match error {
        oauth2::RequestTokenError::ServerResponse(response) => format!("provider error {}", response.error()),
        oauth2::RequestTokenError::Request(error) => format!("request failed: {}", request_failure(&error)),
        oauth2::RequestTokenError::Parse(error, _body) => format!("unreadable response at {}", error.path()),
        oauth2::RequestTokenError::Other(reason) => reason,
    })
}

fn request_failure(error: &oauth2::HttpClientError<reqwest::Error>) -> String {
    match error {
        oauth2::HttpClientError::Reqwest(error) if error.is_timeout() => "timed out".to_owned(),
        oauth2::HttpClientError::Reqwest(error) if error.is_connect() => "could not connect".to_owned(),
        other => other.to_string(),
    }
}
