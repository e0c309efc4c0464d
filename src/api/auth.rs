//! Accounts and sessions: who is signed in, sign up, log in and out, guests, settings.
//!
//! Every function here reads the session itself; the ones that touch an account require a
//! signed-in user and act only on that user.

use crate::wire::auth::Viewer;
use crate::wire::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Viewer>, AppError> {
    use crate::server::platform::http::endpoint::anyone;
    anyone(|mut visitor| async move { Ok(visitor.user().await?.map(|user| user.viewer)) }).await
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(email: String, username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::redirect::after_login;
    use crate::server::accounts::backend::Credentials;
    use crate::server::accounts::{account, session};
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { state, session: mut auth }| async move {
        let form = account::SignUp { email: &email, username: &username, password: &password };
        let id = account::sign_up(&state, form).await?;
        session::authenticate_and_log_in(&mut auth, Credentials::Proven(id)).await?;
        leptos_axum::redirect(&after_login(next.as_deref()));
        Ok(())
    })
    .await
}

/// Unknown email and wrong password get the same answer, after the same amount of work.
/// Every attempt is counted, as succeeded or failed (whatever stopped it).
#[server(prefix = "/api", endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::{redirect::after_login, Email};
    use crate::server::accounts::backend::Credentials;
    use crate::server::accounts::session;
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    use crate::server::platform::metrics::LoginMethod;
    anyone(|Visitor { state, session: mut auth }| async move {
        let attempt = async {
            let wrong = || AppError::Invalid("that email and password do not match an account".into());
            let email = Email::parse(&email).map_err(|error| AppError::field("email", error))?;
            let client = crate::server::platform::http::rate_limit::ClientBucket::of_request().await;
            state.rate_limits.check_account(client, email.as_str())?;
            match session::authenticate_and_log_in(&mut auth, Credentials::Password { email, password }).await? {
                Some(_) => {
                    leptos_axum::redirect(&after_login(next.as_deref()));
                    Ok(())
                }
                None => Err(wrong()),
            }
        }
        .await;
        state.metrics.login(LoginMethod::Password, attempt.is_ok());
        attempt
    })
    .await
}

#[server(prefix = "/api", endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    anyone(|Visitor { session: mut auth, .. }| async move {
        auth.logout().await.map_err(|error| {
            tracing::error!(%error, "logout failed");
            AppError::Internal
        })?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// One click: a guest account with a fresh portfolio, signed in.
#[server(prefix = "/api", endpoint = "start_guest")]
pub async fn start_guest(next: Option<String>) -> Result<(), AppError> {
    use crate::domain::redirect::after_login;
    use crate::server::accounts::backend::Credentials;
    use crate::server::accounts::{account, session};
    use crate::server::platform::http::endpoint::{anyone, Visitor};
    use crate::server::platform::metrics::LoginMethod;
    anyone(|Visitor { state, session: mut auth }| async move {
        let attempt = async {
            let id = account::create_guest(&state).await?;
            session::authenticate_and_log_in(&mut auth, Credentials::Proven(id)).await?;
            leptos_axum::redirect(&after_login(next.as_deref()));
            Ok(())
        }
        .await;
        state.metrics.login(LoginMethod::Guest, attempt.is_ok());
        attempt
    })
    .await
}

/// Turns the signed-in guest into a local account, keeping the portfolio.
#[server(prefix = "/api", endpoint = "upgrade_guest")]
pub async fn upgrade_guest(email: String, username: String, password: String) -> Result<(), AppError> {
    use crate::server::accounts::backend::Credentials;
    use crate::server::accounts::{account, session};
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, session: mut auth, user }| async move {
        let form = account::SignUp { email: &email, username: &username, password: &password };
        account::upgrade_guest(&state, &user, form).await?;
        session::authenticate_and_log_in(&mut auth, Credentials::Proven(user.id)).await?;
        leptos_axum::redirect("/account");
        Ok(())
    })
    .await
}

/// Sets a new password; every other session of the account ends, this one continues under a new id.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use crate::server::accounts::backend::Credentials;
    use crate::server::accounts::{account, session};
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, session: mut auth, user }| async move {
        account::change_password(&state, &user, &current_password, &new_password).await?;
        session::authenticate_and_log_in(&mut auth, Credentials::Proven(user.id)).await?;
        session::announce_sign_in_change(&state.pool, user.id).await;
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "update_profile")]
pub async fn update_profile(username: String, avatar_url: String) -> Result<(), AppError> {
    use crate::server::accounts::account;
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, user, .. }| async move {
        account::update_profile(&state, &user, &username, &avatar_url).await
    })
    .await
}

/// Deletes the signed-in account and everything it owns; `confirmation` must be the username.
#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(confirmation: String) -> Result<(), AppError> {
    use crate::server::accounts::{account, session};
    use crate::server::platform::http::endpoint::{signed_in, Caller};
    signed_in(|Caller { state, session: mut auth, user }| async move {
        account::delete_account(&state, &user, &confirmation).await?;
        let _ = auth.logout().await;
        session::announce_sign_in_change(&state.pool, user.id).await;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}
