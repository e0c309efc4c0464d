//! The `users` table.

use crate::domain::{AuthProvider, Email, Username};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
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

/// What a session needs to know about its user.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub provider: String,
    pub avatar_url: Option<String>,
    pub password_hash: Option<String>,
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

/// Locks the user's row until the transaction ends, to serialize a user's limit checks (child
/// rows referencing the user can still be inserted meanwhile).
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE").bind(id).execute(conn).await?;
    Ok(())
}

/// An active user by id.
pub async fn find(pool: &PgPool, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, email, email_verified, provider, avatar_url, password_hash
         FROM users WHERE id = $1 AND is_active",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The id and password hash of an active local account, by email.
pub async fn credentials_by_email(pool: &PgPool, email: &Email) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash FROM users
         WHERE provider = 'local' AND email = $1 AND is_active AND password_hash IS NOT NULL",
    )
    .bind(email.as_str())
    .fetch_optional(pool)
    .await
}

/// An active local account with this email.
pub async fn local_account_by_email(conn: &mut PgConnection, email: &Email) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE provider = 'local' AND email = $1 AND is_active")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
}

/// An active local account with this email that has verified it.
pub async fn verified_local_account_by_email(
    conn: &mut PgConnection,
    email: &Email,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE provider = 'local' AND email = $1 AND is_active AND email_verified")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
}

pub async fn username_taken(conn: &mut PgConnection, username: &Username) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1))")
        .bind(username.as_str())
        .fetch_one(conn)
        .await
}

/// Turns a guest into an account that signs in with `provider`, keeping the id (and portfolio).
pub async fn guest_joins_provider(
    conn: &mut PgConnection,
    id: Uuid,
    provider: AuthProvider,
    provider_id: &str,
    email: Option<&Email>,
    email_verified: bool,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET provider = $2, provider_id = $3, email = $4, email_verified = $5
         WHERE id = $1 AND provider = 'guest'",
    )
    .bind(id)
    .bind(provider.as_str())
    .bind(provider_id)
    .bind(email.map(Email::as_str))
    .bind(email_verified)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The stored password hash of a local account, by email.
pub async fn password_hash_by_email(conn: &mut PgConnection, email: &Email) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE provider = 'local' AND email = $1")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// The stored password hash of an active user, by id (`None`: they have no password).
pub async fn password_hash(pool: &PgPool, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND is_active")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}

pub async fn set_password_hash(pool: &PgPool, id: Uuid, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1").bind(id).bind(hash).execute(pool).await?;
    Ok(())
}

/// A forgotten password replaced through a link mailed to `email`: the new hash, and the
/// address confirmed (the link proved it) if it is still the account's. False: no such account.
pub async fn reset_password(conn: &mut PgConnection, id: Uuid, email: &str, hash: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET password_hash = $3, email_verified = email_verified OR email = $2
         WHERE id = $1 AND provider = 'local' AND is_active",
    )
    .bind(id)
    .bind(email)
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks `email` confirmed, if it is still the local account's address.
pub async fn confirm_email(conn: &mut PgConnection, id: Uuid, email: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET email_verified = true WHERE id = $1 AND email = $2 AND provider = 'local' AND is_active",
    )
    .bind(id)
    .bind(email)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives a local account a new, unconfirmed email; returns the old one (`None`: no such account).
pub async fn change_email(conn: &mut PgConnection, id: Uuid, email: &Email) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users AS u SET email = $2, email_verified = false
         FROM (SELECT id, email FROM users WHERE id = $1 FOR UPDATE) AS old
         WHERE u.id = old.id AND u.provider = 'local' AND u.is_active
         RETURNING old.email",
    )
    .bind(id)
    .bind(email.as_str())
    .fetch_optional(conn)
    .await
    .map(Option::flatten)
}

pub async fn record_login(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// Turns a guest into a local account, keeping the id (and so the portfolio).
pub async fn upgrade_guest(
    pool: &PgPool,
    id: Uuid,
    email: &Email,
    username: &Username,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET provider = 'local', email = $2, email_verified = false, username = $3, password_hash = $4
         WHERE id = $1 AND provider = 'guest'",
    )
    .bind(id)
    .bind(email.as_str())
    .bind(username.as_str())
    .bind(password_hash)
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn update_profile(
    pool: &PgPool,
    id: Uuid,
    username: &Username,
    avatar_url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET username = $2, avatar_url = $3 WHERE id = $1")
        .bind(id)
        .bind(username.as_str())
        .bind(avatar_url)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes the user and, by cascade, everything they own.
pub async fn delete(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// Deletes guest accounts created before `cutoff` that were never turned into real accounts.
pub async fn delete_guests_created_before(pool: &PgPool, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM users WHERE provider = 'guest' AND created_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}
