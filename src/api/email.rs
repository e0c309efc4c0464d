//! Email: confirming an address from a mailed link, asking for a new link, changing the
//! address, and resetting a forgotten password.
//!
//! A reset request answers alike for every address (and the letter leaves in the background),
//! so the form tells nobody which addresses have accounts.

use crate::wire::AppError;
use leptos::prelude::*;

/// Uses a confirmation link; answers with the address it confirmed.
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<String, AppError> {
    use crate::server::accounts::mailed_links;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, .. }| async move { mailed_links::confirm(&state, &token).await }).await
}

/// A new confirmation link for the signed-in account's email.
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::server::accounts::mailed_links;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move { mailed_links::resend_confirmation(&state, &user).await }).await
}

/// A new email for a password account; the current password proves it is the owner asking.
#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    use crate::server::accounts::account;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        account::change_email(&state, &user, &email, &current_password).await
    })
    .await
}

/// "Forgot password?": mails a reset link when a password account has this address.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server::accounts::mailed_links;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, .. }| async move { mailed_links::request_reset(&state, &email).await }).await
}

/// Uses a reset link: a new password, every session of the account ended, and on to log in.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    use crate::server::accounts::mailed_links;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, session: mut auth }| async move {
        let user_id = mailed_links::reset(&state, &token, &new_password).await?;
        // This browser too, if it was signed in to that account: it logs in with the new password.
        if auth.user.as_ref().is_some_and(|user| user.id == user_id) {
            let _ = auth.logout().await;
        }
        leptos_axum::redirect("/login?reset=done");
        Ok(())
    })
    .await
}
