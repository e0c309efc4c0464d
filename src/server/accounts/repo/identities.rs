//! The `user_identities` table (Google and GitHub accounts that sign in to a user) and the
//! provider tokens kept for them in `user_sessions`.

use crate::domain::AuthProvider;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The user a provider account signs in to.
pub async fn owner(
    conn: &mut PgConnection,
    provider: AuthProvider,
    provider_id: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM user_identities WHERE provider = $1 AND provider_id = $2")
        .bind(provider.as_str())
        .bind(provider_id)
        .fetch_optional(conn)
        .await
}

pub async fn insert(
    conn: &mut PgConnection,
    user_id: Uuid,
    provider: AuthProvider,
    provider_id: &str,
    email: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO user_identities (user_id, provider, provider_id, email) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(provider.as_str())
        .bind(provider_id)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}

/// The providers connected to a user, with when each was connected.
pub async fn connected(pool: &PgPool, user_id: Uuid) -> Result<Vec<(String, DateTime<Utc>)>, sqlx::Error> {
    sqlx::query_as("SELECT provider, created_at FROM user_identities WHERE user_id = $1 ORDER BY provider")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// What a provider handed us at sign-in. Kept server-side only.
pub struct ProviderTokens<'a> {
    pub access_token: &'a str,
    pub refresh_token: Option<&'a str>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores the latest tokens of a user's provider account, replacing earlier ones.
pub async fn save_tokens(
    pool: &PgPool,
    user_id: Uuid,
    provider: AuthProvider,
    tokens: &ProviderTokens<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_sessions (user_id, provider, access_token, refresh_token, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, provider) DO UPDATE
         SET access_token = EXCLUDED.access_token,
             refresh_token = COALESCE(EXCLUDED.refresh_token, user_sessions.refresh_token),
             expires_at = EXCLUDED.expires_at",
    )
    .bind(user_id)
    .bind(provider.as_str())
    .bind(tokens.access_token)
    .bind(tokens.refresh_token)
    .bind(tokens.expires_at)
    .execute(pool)
    .await?;
    Ok(())
}
