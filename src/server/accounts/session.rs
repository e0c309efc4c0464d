//! Sessions: the layer that loads them, and the helpers server functions and routes use to read
//! and change who is signed in.

use crate::server::accounts::backend::Backend;

use crate::server::accounts::backend::Credentials;

use crate::server::accounts::backend::SessionUser;
use crate::server::accounts::password::Passwords;
use crate::server::accounts::store::PgSessionStore;
use crate::server::platform::config::Config;
use crate::server::platform::state::AppState;
use crate::wire::auth::ViewerStatus;
use crate::wire::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder};
use leptos::prelude::{provide_context, use_context};
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub type AuthSession = axum_login::AuthSession<Backend>;

pub const COOKIE_NAME: &str = "papertrade_session";
/// When the current login happened (Unix seconds), for the absolute session lifetime.
const LOGGED_IN_AT: &str = "papertrade.logged_in_at";
/// When a request of this session last moved its idle expiry on (Unix seconds).
const TOUCHED_AT: &str = "papertrade.touched_at";
/// How stale the idle expiry may get: a signed-in session is written at most once per this many
/// seconds of activity, not on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// Sessions in PostgreSQL (table `tower_sessions.session`), an HttpOnly SameSite=Lax cookie,
/// `Secure` when configured, expiring after the configured idle time.
pub fn layer(pool: &PgPool, config: &Config, passwords: Passwords) -> AuthManagerLayer<Backend, PgSessionStore> {
    let idle = time::Duration::seconds(i64::try_from(config.session_idle.as_secs()).unwrap_or(i64::MAX));
    let sessions = SessionManagerLayer::new(PgSessionStore::new(pool.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.session_cookie_secure)
        .with_expiry(Expiry::OnInactivity(idle));
    AuthManagerLayerBuilder::new(Backend::new(pool.clone(), passwords), sessions).build()
}

/// The session of the running server function's request.
pub async fn from_request() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|error| {
        tracing::error!(%error, "no auth session on the request; is the layer installed?");
        AppError::Internal
    })
}

/// Signs `user` in on this session: a new session id, and the clock of the absolute lifetime restarted.
pub async fn log_in(session: &mut AuthSession, user: &SessionUser) -> Result<(), AppError> {
    session.login(user).await.map_err(internal)?;
    // axum-login only rotates the id when nobody was signed in; we rotate on every login
    // (a second login, a guest upgrade, a refresh) so no earlier id stays valid.
    session.session.cycle_id().await.map_err(internal)?;
    let now = chrono::Utc::now().timestamp();
    session.session.insert(LOGGED_IN_AT, now).await.map_err(internal)?;
    session.session.insert(TOUCHED_AT, now).await.map_err(internal)?;
    if let Err(error) = crate::server::accounts::repo::users::record_login(session.backend.pool(), user.id).await {
        tracing::warn!(%error, "could not record the login time");
    }
    Ok(())
}

/// A new id for the signed-in session, keeping everything else — the clock of the absolute
/// lifetime too, so a stolen cookie renewed now and then still ends on time.
pub async fn renew(session: &mut AuthSession) -> Result<(), AppError> {
    session.session.cycle_id().await.map_err(internal)
}

/// Authenticates and, on success, signs in. `Ok(None)` means the credentials were wrong.
pub async fn authenticate_and_log_in(
    session: &mut AuthSession,
    credentials: Credentials,
) -> Result<Option<SessionUser>, AppError> {
    let Some(user) = session.authenticate(credentials).await.map_err(internal)? else {
        return Ok(None);
    };
    log_in(session, &user).await?;
    Ok(Some(user))
}

/// The signed-in user, unless the session has outlived its absolute lifetime (then it ends).
pub async fn current_user(session: &mut AuthSession, config: &Config) -> Result<Option<SessionUser>, AppError> {
    let Some(user) = session.user.clone() else { return Ok(None) };
    let logged_in_at: Option<i64> = session.session.get(LOGGED_IN_AT).await.map_err(internal)?;
    let now = chrono::Utc::now().timestamp();
    let age = now - logged_in_at.unwrap_or(0);
    if u64::try_from(age).map_or(true, |age| age > config.session_absolute.as_secs()) {
        session.logout().await.map_err(internal)?;
        return Ok(None);
    }
    touch(&session.session, now).await?;
    Ok(Some(user))
}

/// Moves the session's idle expiry on, at most once a minute. tower-sessions writes a session
/// (and with it the expiry `Expiry::OnInactivity` computes) only when its data changed, so
/// without this an active user's session would end `SESSION_IDLE_MINUTES` after their login;
/// writing on every request instead would cost each request a statement.
async fn touch(session: &tower_sessions::Session, now: i64) -> Result<(), AppError> {
    let touched_at: Option<i64> = session.get(TOUCHED_AT).await.map_err(internal)?;
    if touched_at.is_none_or(|at| now - at >= TOUCH_EVERY_SECS) {
        session.insert(TOUCHED_AT, now).await.map_err(internal)?;
    }
    Ok(())
}

/// The signed-in user, or 401.
pub async fn require_user(session: &mut AuthSession, config: &Config) -> Result<SessionUser, AppError> {
    current_user(session, config).await?.ok_or(AppError::Unauthorized)
}

/// For server functions that act on the caller's own data: the state, the request's session,
/// and its signed-in user — or 401.
pub async fn signed_in() -> Result<(AppState, AuthSession, SessionUser), AppError> {
    let state = AppState::from_context()?;
    let mut auth = from_request().await?;
    let user = require_user(&mut auth, &state.config).await?;
    Ok((state, auth, user))
}

/// Tells the user's open event streams, on every instance, to check their sessions (after a
/// logout, a password change, an account deletion). A failure is logged: the change itself
/// stands, and the streams' age ends them within minutes.
pub async fn announce_sign_in_change(pool: &PgPool, user_id: uuid::Uuid) {
    if let Err(error) = crate::server::live::publish_sign_in_change(pool, user_id).await {
        tracing::warn!(%error, "could not tell the open streams about a sign-in change");
    }
}

/// What a long-lived response (an event stream) keeps to tell later whether the sign-in that
/// opened it still holds: the session's id and the account's auth hash at that moment.
#[derive(Clone)]
pub struct SignInProof {
    backend: Backend,
    session_id: Option<String>,
    user_id: uuid::Uuid,
    auth_hash: Vec<u8>,
}

impl SignInProof {
    pub fn of(auth: &AuthSession, user: &SessionUser) -> SignInProof {
        use axum_login::AuthUser;
        SignInProof {
            backend: auth.backend.clone(),
            session_id: auth.session.id().map(|id| id.to_string()),
            user_id: user.id,
            auth_hash: user.session_auth_hash().to_vec(),
        }
    }

    /// True while the session exists (no logout, not expired) and the account exists with the
    /// same password (a change or a reset ends every other session).
    pub async fn holds(&self) -> Result<bool, AppError> {
        use axum_login::{AuthUser, AuthnBackend};
        if let Some(id) = &self.session_id {
            let stored = crate::server::accounts::repo::sessions::load(self.backend.pool(), id).await?;
            if stored.is_none() {
                return Ok(false);
            }
        }
        let user = self.backend.get_user(&self.user_id).await.map_err(internal)?;
        Ok(user.is_some_and(|user| user.session_auth_hash() == self.auth_hash.as_slice()))
    }
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session error");
    AppError::Internal
}

/// Middleware of the page routes: who is signed in (after the absolute-lifetime check), as a
/// [`ViewerStatus`] in the request's extensions, for [`provide_viewer_status`] to hand the page.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut auth: AuthSession,
    mut request: Request,
    next: Next,
) -> Response {
    let status = match current_user(&mut auth, &state.config).await {
        Ok(Some(user)) => ViewerStatus::SignedIn(user.viewer),
        Ok(None) => ViewerStatus::SignedOut,
        Err(_) => ViewerStatus::Unknown,
    };
    request.extensions_mut().insert(status);
    next.run(request).await
}

/// Part of every page render's context: the [`ViewerStatus`] [`resolve_viewer`] found.
pub fn provide_viewer_status() {
    let parts = use_context::<axum::http::request::Parts>();
    if let Some(status) = parts.and_then(|parts| parts.extensions.get::<ViewerStatus>().cloned()) {
        provide_context(status);
    }
}
