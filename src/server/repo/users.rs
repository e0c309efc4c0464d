//! The `users` table.

use crate::domain::{AuthProvider, Email, Username};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewUser<'a> {
    pub id: Uuid,
    pub email: Option<&'a Email>,
    pub email_verified: bool,
    pub password_hash: Option<&'a str>,
    pub username: &'a Username,
    pub provider: AuthProvider,
    pub provider_id: Option<&'a str>,
    pub avatar_url: Option<&'a str>,
}

#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn insert(conn: &mut PgConnection, user: &NewUser<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, email_verified, password_hash, username, provider, provider_id, avatar_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user.id)
    .bind(user.email.map(Email::as_str))
    .bind(user.email_verified)
    .bind(user.password_hash)
    .bind(user.username.as_str())
    .bind(user.provider.as_str())
    .bind(user.provider_id)
    .bind(user.avatar_url)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn exists(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)").bind(id).fetch_one(conn).await
}

/// The stored password hash of a local account, by email.
pub async fn password_hash_by_email(conn: &mut PgConnection, email: &Email) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE provider = 'local' AND email = $1")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}
