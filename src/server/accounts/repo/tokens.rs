//! The `account_tokens` table: the links sent by mail, stored as the SHA-256 of their token.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// What a link does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// Whom a valid link is for.
#[derive(Debug, sqlx::FromRow)]
pub struct Holder {
    pub user_id: Uuid,
    pub email: String,
}

/// Stores a new link, retiring the user's unused links of the same purpose.
pub async fn issue(
    conn: &mut PgConnection,
    hash: &[u8],
    user_id: Uuid,
    purpose: Purpose,
    email: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    retire(&mut *conn, user_id, purpose).await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(email)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the user's unused links of this purpose used.
pub async fn retire(conn: &mut PgConnection, user_id: Uuid, purpose: Purpose) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whom the link is for, if it is unused and unexpired (it stays usable).
pub async fn peek(conn: &mut PgConnection, hash: &[u8], purpose: Purpose) -> Result<Option<Holder>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, email FROM account_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await
}

/// Uses the link: whom it is for, if it was unused and unexpired; a second use finds nothing.
pub async fn consume(conn: &mut PgConnection, hash: &[u8], purpose: Purpose) -> Result<Option<Holder>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE account_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING user_id, email",
    )
    .bind(hash)
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await
}

/// Deletes links that expired before `cutoff`.
pub async fn delete_expired_before(conn: &mut PgConnection, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1").bind(cutoff).execute(conn).await?;
    Ok(result.rows_affected())
}
