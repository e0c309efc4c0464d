//! Account operations behind the sign-up, guest and settings forms. Each parses its input into
//! domain types (a bad field becomes an error naming that field) and writes atomically; a new
//! email is sent a confirmation letter.

use crate::domain::{AuthProvider, Email, Money, NewPassword, Username};
use crate::server::accounts::backend::SessionUser;
use crate::server::accounts::repo::users;
use crate::server::accounts::{letters, mailed_links};
use crate::server::platform::state::AppState;
use crate::wire::AppError;
use std::fmt::Display;
use uuid::Uuid;

pub struct SignUp<'a> {
    pub email: &'a str,
    pub username: &'a str,
    pub password: &'a str,
}

struct ParsedSignUp {
    email: Email,
    username: Username,
    password_hash: String,
}

/// Checks the form, then — only for an email and username that are free — hashes the password:
/// a taken one costs a lookup, not one of the few hashing slots that log-ins wait for. (The
/// unique constraints stay the authority: a race between two sign-ups still ends in one.)
/// `holder` is the user the account is for when they exist already (a guest keeping their name).
async fn parse_sign_up(
    state: &AppState,
    form: &SignUp<'_>,
    holder: Option<&SessionUser>,
) -> Result<ParsedSignUp, AppError> {
    let email = field("email", Email::parse(form.email))?;
    let username = field("username", Username::parse(form.username))?;
    let password = field("password", NewPassword::parse(form.password))?;
    let mut conn = state.pool.acquire().await?;
    if users::local_account_by_email(&mut conn, &email).await?.is_some() {
        return Err(email_taken());
    }
    let theirs = holder.is_some_and(|user| user.viewer.username.eq_ignore_ascii_case(username.as_str()));
    if !theirs && users::username_taken(&mut conn, &username).await? {
        return Err(username_taken());
    }
    drop(conn);
    let password_hash = state.passwords.hash(password.expose()).await.map_err(internal)?;
    Ok(ParsedSignUp { email, username, password_hash })
}

/// Creates a local account with a fresh portfolio; returns its id.
#[tracing::instrument(skip_all)]
/// A letter asks them to confirm the email.
pub async fn sign_up(state: &AppState, form: SignUp<'_>) -> Result<Uuid, AppError> {
    let parsed = parse_sign_up(state, &form, None).await?;
    let id =
        create(state, AuthProvider::Local, Some(&parsed.email), &parsed.username, Some(&parsed.password_hash)).await?;
    mailed_links::confirm_new_address(state, id, parsed.username.as_str(), &parsed.email).await;
    Ok(id)
}

/// Creates a guest account with a fresh portfolio; returns its id.
#[tracing::instrument(skip_all)]
pub async fn create_guest(state: &AppState) -> Result<Uuid, AppError> {
    let suffix = Uuid::new_v4().simple().to_string();
    let username = Username::parse(&format!("guest-{}", &suffix[..10])).map_err(internal)?;
    create(state, AuthProvider::Guest, None, &username, None).await
}

async fn create(
    state: &AppState,
    provider: AuthProvider,
    email: Option<&Email>,
    username: &Username,
    password_hash: Option<&str>,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let user = users::NewUser {
        id,
        email,
        email_verified: false,
        password_hash,
        username,
        provider,
        provider_id: None,
        avatar_url: None,
    };
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    insert_with_portfolio(&mut tx, &user, state.config.starting_cash).await.map_err(taken)?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts a user and their first portfolio, funded with `starting_cash`, and the coach's welcome.
pub(super) async fn insert_with_portfolio(
    conn: &mut sqlx::PgConnection,
    user: &users::NewUser<'_>,
    starting_cash: Money,
) -> Result<(), sqlx::Error> {
    users::insert(conn, user).await?;
    crate::server::portfolio::open(conn, user.id, starting_cash).await?;
    crate::server::coach::welcome(conn, user.id, starting_cash, chrono::Utc::now()).await
}

/// Gives a guest an email and password; the id, and so the portfolio, stays. A letter asks them
/// to confirm the email.
#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn upgrade_guest(state: &AppState, user: &SessionUser, form: SignUp<'_>) -> Result<(), AppError> {
    if !user.is_guest() {
        return Err(AppError::Conflict("this account already has a sign-in".into()));
    }
    let parsed = parse_sign_up(state, &form, Some(user)).await?;
    let upgraded = users::upgrade_guest(&state.pool, user.id, &parsed.email, &parsed.username, &parsed.password_hash)
        .await
        .map_err(taken)?;
    if !upgraded {
        return Err(AppError::Conflict("this account already has a sign-in".into()));
    }
    mailed_links::confirm_new_address(state, user.id, parsed.username.as_str(), &parsed.email).await;
    Ok(())
}

/// Sets a new password after checking the current one. Only password accounts have one: a
/// Google or GitHub account signs in there, and a guest gets one by keeping the portfolio.
#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn change_password(state: &AppState, user: &SessionUser, current: &str, new: &str) -> Result<(), AppError> {
    if !user.has_password {
        return Err(AppError::Conflict(match user.provider {
            AuthProvider::Guest => "a guest has no password yet; add one with \"Keep your portfolio\"".into(),
            provider => format!("this account has no password: it signs in with {}", provider.label()),
        }));
    }
    let new = field("new_password", NewPassword::parse(new))?;
    check_current_password(state, user, current).await?;
    let hash = state.passwords.hash(new.expose()).await.map_err(internal)?;
    users::set_password_hash(&state.pool, user.id, &hash).await?;
    Ok(())
}

/// The signed-in user's own password, by id: never another account's that shares the email.
async fn check_current_password(state: &AppState, user: &SessionUser, current: &str) -> Result<(), AppError> {
    let matches = match users::password_hash(&state.pool, user.id).await? {
        Some(hash) => state.passwords.verify(current, &hash).await.map_err(internal)?,
        None => false,
    };
    if matches {
        Ok(())
    } else {
        Err(AppError::field("current_password", "that is not your current password"))
    }
}

/// Gives a password account a new email, after checking the current password. The new address
/// gets a confirmation letter, the old one a notice.
#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn change_email(
    state: &AppState,
    user: &SessionUser,
    new_email: &str,
    current: &str,
) -> Result<(), AppError> {
    if user.provider != AuthProvider::Local {
        return Err(AppError::Conflict(format!("this account's email comes from {}", user.provider.label())));
    }
    let email = field("email", Email::parse(new_email))?;
    if user.email.as_deref() == Some(email.as_str()) {
        return Err(AppError::field("email", "that is already your email"));
    }
    check_current_password(state, user, current).await?;
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    let old = users::change_email(&mut tx, user.id, &email).await.map_err(taken)?;
    tx.commit().await?;
    mailed_links::confirm_new_address(state, user.id, &user.username, &email).await;
    if let Some(old) = old {
        state.mailer.send(letters::email_changed(&old, email.as_str(), &user.username));
    }
    Ok(())
}

/// Changes the username and avatar. An avatar is an https:// image address, or nothing.
#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn update_profile(
    state: &AppState,
    user: &SessionUser,
    username: &str,
    avatar_url: &str,
) -> Result<(), AppError> {
    let username = field("username", Username::parse(username))?;
    let avatar_url = avatar_url.trim();
    let avatar_url = if avatar_url.is_empty() {
        None
    } else if avatar_url.starts_with("https://") && avatar_url.len() <= 500 && !avatar_url.contains(char::is_whitespace)
    {
        Some(avatar_url)
    } else {
        return Err(AppError::field("avatar_url", "use an https:// image address of at most 500 characters"));
    };
    users::update_profile(&state.pool, user.id, &username, avatar_url).await.map_err(taken)
}

/// Deletes the account and everything it owns, once the person typed their username to confirm.
#[tracing::instrument(skip_all, fields(user_id = %user.id))]
pub async fn delete_account(state: &AppState, user: &SessionUser, confirmation: &str) -> Result<(), AppError> {
    if confirmation.trim() != user.username {
        return Err(AppError::field("confirmation", format!("type your username, {}, to confirm", user.username)));
    }
    users::delete(&state.pool, user.id).await?;
    Ok(())
}

fn field<T, E: Display>(name: &str, parsed: Result<T, E>) -> Result<T, AppError> {
    parsed.map_err(|error| AppError::field(name, error))
}

/// Unique violations become a message on the field that collided.
fn taken(error: sqlx::Error) -> AppError {
    match error.as_database_error().and_then(|e| e.constraint()) {
        Some("users_local_email_key") => email_taken(),
        Some("users_username_key") => username_taken(),
        _ => error.into(),
    }
}

fn email_taken() -> AppError {
    AppError::field("email", "an account with this email already exists; log in instead")
}

fn username_taken() -> AppError {
    AppError::field("username", "this username is taken; try another")
}

fn internal(error: impl Display) -> AppError {
    tracing::error!(%error, "account operation failed");
    AppError::Internal
}
