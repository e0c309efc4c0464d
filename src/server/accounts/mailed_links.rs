//! Links sent by mail: confirming an email (valid 24 hours) and resetting a forgotten password
//! (valid 30 minutes). A link carries 256 random bits; only their SHA-256 is stored, each link
//! works once, and a newer link of the same kind retires the older ones.
//!
//! A reset request answers the same whether or not the address has an account, after the same
//! work: the letter goes out in the background.

use crate::domain::{Email, NewPassword};
use crate::server::accounts::backend::SessionUser;
use crate::server::accounts::letters;
use crate::server::accounts::repo::tokens::{self, Purpose};
use crate::server::accounts::repo::users;
use crate::server::platform::state::AppState;
use crate::wire::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const CONFIRM_FOR: chrono::Duration = chrono::Duration::hours(24);
const RESET_FOR: chrono::Duration = chrono::Duration::minutes(30);

/// What a used-up, expired or made-up link is told.
fn dead_link(kind: &str) -> AppError {
    AppError::Invalid(format!("this {kind} link has expired or was already used; ask for a new one"))
}

/// A new random token (64 hex digits, for the link) and its stored hash.
fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = hash_of(&token);
    (token, hash)
}

fn hash_of(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

/// Stores a link of `purpose` for `user_id` and `email`; returns its address.
async fn issue(state: &AppState, user_id: Uuid, email: &str, purpose: Purpose, page: &str) -> Result<String, AppError> {
    let (token, hash) = new_token();
    let valid_for = if purpose == Purpose::VerifyEmail { CONFIRM_FOR } else { RESET_FOR };
    let mut conn = state.pool.acquire().await?;
    tokens::issue(&mut conn, &hash, user_id, purpose, email, chrono::Utc::now() + valid_for).await?;
    Ok(format!("{}{page}?token={token}", state.config.link_base()))
}

/// Mails `email` a link that confirms it for the account. Over the address's letter limit, the
/// letter is skipped (and the caller told, for "resend").
pub async fn send_confirmation(state: &AppState, user_id: Uuid, username: &str, email: &Email) -> Result<(), AppError> {
    state.rate_limits.check_letter_to(email.as_str())?;
    let link = issue(state, user_id, email.as_str(), Purpose::VerifyEmail, "/verify-email").await?;
    state.mailer.send(letters::confirm_email(email.as_str(), username, &link));
    Ok(())
}

/// [`send_confirmation`] right after an account got this email: a skipped letter is logged (the
/// banner's "resend" is there), never a failure of the sign-up itself.
pub async fn confirm_new_address(state: &AppState, user_id: Uuid, username: &str, email: &Email) {
    if let Err(error) = send_confirmation(state, user_id, username, email).await {
        tracing::warn!(?error, "no confirmation letter after an address change");
    }
}

/// "Resend": a new confirmation link for the signed-in account's current email.
pub async fn resend_confirmation(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    if !user.needs_to_verify_email() {
        return Err(AppError::Conflict("there is no email to confirm on this account".into()));
    }
    let email = user.email.as_deref().map(Email::parse).and_then(Result::ok).ok_or(AppError::Internal)?;
    send_confirmation(state, user.id, &user.username, &email).await
}

/// Uses a confirmation link: the account's email, now confirmed.
pub async fn confirm(state: &AppState, token: &str) -> Result<String, AppError> {
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    let holder = tokens::consume(&mut tx, &hash_of(token), Purpose::VerifyEmail)
        .await?
        .ok_or_else(|| dead_link("confirmation"))?;
    if !users::confirm_email(&mut tx, holder.user_id, &holder.email).await? {
        return Err(AppError::Invalid("this link is for an address the account no longer uses".into()));
    }
    tx.commit().await?;
    Ok(holder.email)
}

/// "Forgot password?": mails a reset link if a password account has this address. The answer
/// is the same either way, after the same work — whether the address has an account is looked
/// up beside the request, with the letter; only the address's letter limit can refuse, and it
/// counts every address alike.
pub async fn request_reset(state: &AppState, email: &str) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|error| AppError::field("email", error))?;
    state.rate_limits.check_letter_to(email.as_str())?;
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = mail_reset_link(&state, &email).await {
            tracing::warn!(?error, "a requested reset letter could not be prepared");
        }
    });
    Ok(())
}

/// The reset letter, if a password account has `email`.
async fn mail_reset_link(state: &AppState, email: &Email) -> Result<(), AppError> {
    let mut conn = state.pool.acquire().await?;
    let account = users::local_account_by_email(&mut conn, email).await?;
    drop(conn);
    let Some(user_id) = account else { return Ok(()) };
    let username = users::find(&state.pool, user_id).await?.map(|user| user.username).unwrap_or_default();
    let link = issue(state, user_id, email.as_str(), Purpose::ResetPassword, "/reset-password").await?;
    state.mailer.send(letters::reset_password(email.as_str(), &username, &link));
    Ok(())
}

/// Uses a reset link: the new password replaces the old, which ends every session of the
/// account (they were tied to the old hash); returns the account's id. A dead link costs no
/// password hashing.
pub async fn reset(state: &AppState, token: &str, new_password: &str) -> Result<Uuid, AppError> {
    let new_password = NewPassword::parse(new_password).map_err(|error| AppError::field("new_password", error))?;
    let hash = hash_of(token);
    let mut conn = state.pool.acquire().await?;
    tokens::peek(&mut conn, &hash, Purpose::ResetPassword).await?.ok_or_else(|| dead_link("reset"))?;
    drop(conn);
    let password_hash = state.passwords.hash(new_password.expose()).await.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })?;
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    // Consumed now, in the transaction that uses it: of two uses at once, one wins.
    let holder = tokens::consume(&mut tx, &hash, Purpose::ResetPassword).await?.ok_or_else(|| dead_link("reset"))?;
    if !users::reset_password(&mut tx, holder.user_id, &holder.email, &password_hash).await? {
        return Err(dead_link("reset"));
    }
    tokens::retire(&mut tx, holder.user_id, Purpose::ResetPassword).await?;
    tx.commit().await?;
    crate::server::accounts::session::announce_sign_in_change(&state.pool, holder.user_id).await;
    Ok(holder.user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_their_hash() {
        let (first, first_hash) = new_token();
        let (second, _) = new_token();
        assert_eq!(first.len(), 64);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(first, second);
        assert_eq!(hash_of(&first), first_hash);
        assert_eq!(hash_of(&format!(" {first}\n")), first_hash, "a pasted link's spaces do not matter");
        assert_ne!(hex::encode(first_hash), first);
    }
}
