//! The axum-login backend: turns credentials into a user, and a session's user id back into one.

use crate::domain::{AuthProvider, Email};
use crate::server::accounts::password::Passwords;
use crate::server::accounts::repo::users::{self, UserRow};
use crate::server::platform::error::note_request_fault;
use crate::wire::auth::Viewer;
use axum_login::{AuthUser, AuthnBackend, UserId};
use sqlx::PgPool;
use std::fmt;
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The signed-in user as a session sees them: what the interface may know (a [`Viewer`]) plus
/// the hash that ties sessions to the current password.
#[derive(Clone)]
pub struct SessionUser {
    pub viewer: Viewer,
    /// Sessions remember this; when it changes (a new password), every other session ends.
    auth_hash: Vec<u8>,
}

impl std::ops::Deref for SessionUser {
    type Target = Viewer;
    fn deref(&self) -> &Viewer {
        &self.viewer
    }
}

impl fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionUser").field("id", &self.id).field("provider", &self.provider).finish_non_exhaustive()
    }
}

impl AuthUser for SessionUser {
    type Id = Uuid;

    fn id(&self) -> Uuid {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

impl SessionUser {
    fn from_row(row: UserRow) -> SessionUser {
        let provider = match row.provider.as_str() {
            "google" => AuthProvider::Google,
            "github" => AuthProvider::Github,
            "guest" => AuthProvider::Guest,
            _ => AuthProvider::Local,
        };
        // The password hash when there is one; otherwise the (unchanging) id.
        let auth_hash = row.password_hash.as_deref().unwrap_or(&row.id.to_string()).as_bytes().to_vec();
        let viewer = Viewer {
            id: row.id,
            username: row.username,
            email: row.email,
            email_verified: row.email_verified,
            provider,
            avatar_url: row.avatar_url,
            has_password: row.password_hash.is_some(),
        };
        SessionUser { viewer, auth_hash }
    }
}

pub enum Credentials {
    /// Email and password of a local account.
    Password { email: Email, password: String },
    /// A user whose identity was already proven another way (OAuth callback, a fresh sign-up or guest).
    Proven(Uuid),
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

#[derive(Clone)]
pub struct Backend {
    pool: PgPool,
    passwords: Passwords,
    /// A hash to verify against when the email is unknown, so both cases do the same work.
    dummy_hash: std::sync::Arc<OnceCell<String>>,
}

impl Backend {
    pub fn new(pool: PgPool, passwords: Passwords) -> Backend {
        Backend { pool, passwords, dummy_hash: Default::default() }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn verify_password(&self, email: &Email, password: &str) -> Result<Option<Uuid>, BackendError> {
        let hashing = |e: anyhow::Error| BackendError::Hashing(e.to_string());
        let Some((id, stored)) = users::credentials_by_email(&self.pool, email).await? else {
            let dummy = self
                .dummy_hash
                .get_or_try_init(|| self.passwords.hash("not a real password, only equal work"))
                .await
                .map_err(hashing)?;
            self.passwords.verify(password, dummy).await.map_err(hashing)?;
            return Ok(None);
        };
        if !self.passwords.verify(password, &stored).await.map_err(hashing)? {
            return Ok(None);
        }
        if Passwords::needs_rehash(&stored) {
            let upgraded = self.passwords.hash(password).await.map_err(hashing)?;
            users::set_password_hash(&self.pool, id, &upgraded).await?;
            tracing::info!(user_id = %id, "password hash upgraded to current parameters");
        }
        Ok(Some(id))
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, credentials: Credentials) -> Result<Option<SessionUser>, BackendError> {
        let id = match credentials {
            Credentials::Password { email, password } => match self.verify_password(&email, &password).await? {
                Some(id) => id,
                None => return Ok(None),
            },
            Credentials::Proven(id) => id,
        };
        self.get_user(&id).await
    }

    /// Runs on every request with a session (in axum-login's layer, whose failure is a bare 500),
    /// so a database failure is noted for the request's answer.
    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, BackendError> {
        let user = users::find(&self.pool, *id).await.inspect_err(note_request_fault)?;
        Ok(user.map(SessionUser::from_row))
    }
}
