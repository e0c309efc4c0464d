//! `GET /auth/{provider}` starts a Google or GitHub sign-in; `GET /auth/{provider}/callback`
//! finishes it. The state and PKCE verifier wait in the session and are removed at the callback,
//! whatever its outcome, so each can be used once. Failures get a friendly page, never a login.

use crate::domain::redirect::after_login;
use crate::domain::AuthProvider;
use crate::server::accounts::backend::Credentials;
use crate::server::accounts::oauth::{self, Intent, OAuthError};
use crate::server::accounts::repo::identities::{self, ProviderTokens};
use crate::server::accounts::session::{self, AuthSession};
use crate::server::platform::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Session key of the sign-in in flight.
const PENDING: &str = "papertrade.oauth_pending";

/// What the callback needs to check and finish a sign-in this browser started.
#[derive(Serialize, Deserialize)]
struct PendingSignIn {
    provider: AuthProvider,
    state: String,
    verifier: String,
    redirect_uri: String,
    next: String,
    /// Set when a signed-in person is connecting the provider to their account.
    connect_to: Option<Uuid>,
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(query): Query<StartQuery>,
    headers: HeaderMap,
    mut auth: AuthSession,
) -> Response {
    let Some(provider) = AuthProvider::oauth_from_str(&provider) else {
        return crate::server::platform::http::not_found_page();
    };
    match begin(&state, provider, query, &headers, &mut auth).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(error) => failure_page(provider, &error),
    }
}

async fn begin(
    state: &AppState,
    provider: AuthProvider,
    query: StartQuery,
    headers: &HeaderMap,
    auth: &mut AuthSession,
) -> Result<String, OAuthError> {
    let settings = state.config.oauth(provider).ok_or(OAuthError::NotConfigured)?;
    let redirect_uri = format!("{}/auth/{}/callback", public_base(state, headers), provider.as_str());
    let authorization = oauth::authorize(settings, &redirect_uri)?;
    let current = session::current_user(auth, &state.config).await.map_err(session_error)?;
    let connect_to = current.map(|user| user.id);
    let next = match (query.next.as_deref(), connect_to) {
        (None, Some(_)) => "/account".to_owned(),
        (next, _) => after_login(next),
    };
    let pending = PendingSignIn {
        provider,
        state: authorization.state,
        verifier: authorization.verifier,
        redirect_uri,
        next,
        connect_to,
    };
    auth.session.insert(PENDING, pending).await.map_err(session_error)?;
    Ok(authorization.url)
}

pub async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(query): Query<CallbackQuery>,
    mut auth: AuthSession,
) -> Response {
    let Some(provider) = AuthProvider::oauth_from_str(&provider) else {
        return crate::server::platform::http::not_found_page();
    };
    let finished = finish(&state, provider, query, &mut auth).await;
    state.metrics.login(provider.into(), finished.is_ok());
    match finished {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(error) => failure_page(provider, &error),
    }
}

async fn finish(
    state: &AppState,
    provider: AuthProvider,
    query: CallbackQuery,
    auth: &mut AuthSession,
) -> Result<String, OAuthError> {
    // Removed first, so this state can never be presented again, whatever happens below.
    let pending: Option<PendingSignIn> = auth.session.remove(PENDING).await.map_err(session_error)?;
    if let Some(error) = query.error {
        return Err(OAuthError::denied(&error));
    }
    let returned_state = query.state.filter(|s| !s.is_empty()).ok_or(OAuthError::StateMissing)?;
    let pending = pending.ok_or(OAuthError::NotStarted)?;
    if pending.provider != provider || pending.state != returned_state {
        return Err(OAuthError::StateMismatch);
    }
    let code = query.code.filter(|code| !code.is_empty()).ok_or(OAuthError::CodeMissing)?;
    let settings = state.config.oauth(provider).ok_or(OAuthError::NotConfigured)?;
    let tokens = oauth::exchange(&state.oauth_http, settings, &pending.redirect_uri, code, pending.verifier).await?;
    let profile = oauth::fetch_profile(&state.oauth_http, settings, &tokens.access_token).await?;

    let current = session::current_user(auth, &state.config).await.map_err(session_error)?;
    let intent = match (pending.connect_to, current) {
        (Some(id), Some(user)) if user.id == id => Intent::Connect { user_id: id, is_guest: user.is_guest() },
        _ => Intent::SignIn,
    };
    let user_id = oauth::account_for(&state.pool, &profile, intent, state.config.starting_cash).await?;
    let tokens = ProviderTokens {
        access_token: &tokens.access_token,
        refresh_token: tokens.refresh_token.as_deref(),
        expires_at: tokens.expires_at,
    };
    identities::save_tokens(&state.pool, user_id, provider, &tokens).await?;
    session::authenticate_and_log_in(auth, Credentials::Proven(user_id))
        .await
        .map_err(session_error)?
        .ok_or_else(|| OAuthError::Session("the account is not active".into()))?;
    tracing::info!(%user_id, provider = provider.as_str(), ?intent, "signed in with a provider");
    Ok(pending.next)
}

/// `PUBLIC_URL` when configured; otherwise the address this request came to (fine for local
/// use; production sets `PUBLIC_URL`, the value registered with the provider).
fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.clone();
    }
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).filter(|host| is_plain_host(host));
    format!("http://{}", host.map_or_else(|| state.config.socket_addr().to_string(), str::to_owned))
}

fn is_plain_host(host: &str) -> bool {
    !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
}

fn session_error(error: impl std::fmt::Display) -> OAuthError {
    OAuthError::Session(error.to_string())
}

fn failure_page(provider: AuthProvider, error: &OAuthError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    // Debug-formatted: provider text (an error code, a token endpoint's answer) is quoted and
    // escaped, so a newline in it cannot start a forged line of the text log.
    let reason = error.to_string();
    if status.is_server_error() {
        tracing::error!(provider = provider.as_str(), error = ?reason, "provider sign-in failed");
    } else {
        tracing::warn!(provider = provider.as_str(), error = ?reason, "provider sign-in refused");
    }
    let (title, message) = error.explain(provider);
    (status, Html(crate::server::platform::http::plain_page(title, &message, ("/login", "Back to log in"))))
        .into_response()
}
