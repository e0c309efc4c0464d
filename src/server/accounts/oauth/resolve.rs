//! Which Papertrade account a provider sign-in belongs to — found, linked, connected or created —
//! decided in one transaction.

use crate::server::accounts::oauth::OAuthError;

use crate::domain::{Email, Money, Username};
use crate::server::accounts::account::insert_with_portfolio;
use crate::server::accounts::oauth::ProviderProfile;
use crate::server::accounts::repo::{identities, users};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Why the person went to the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// To sign in (or up) from the log-in page.
    SignIn,
    /// To connect the provider to the account already signed in; a guest keeps the portfolio.
    Connect { user_id: Uuid, is_guest: bool },
}

/// The account to sign in to:
/// - the one this provider account is already connected to;
/// - when connecting, the signed-in account (a guest becomes a Google or GitHub account);
/// - a local account with the same email, only when the provider says the email is verified;
/// - otherwise a new account with a fresh portfolio of `starting_cash`.
pub async fn account_for(
    pool: &PgPool,
    profile: &ProviderProfile,
    intent: Intent,
    starting_cash: Money,
) -> Result<Uuid, OAuthError> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    let owner = identities::owner(&mut tx, profile.provider, &profile.provider_id).await?;
    let email = profile.email.as_deref().and_then(|email| Email::parse(email).ok());
    let user_id = match (intent, owner) {
        (Intent::SignIn, Some(owner)) => owner,
        (Intent::Connect { user_id, .. }, Some(owner)) if owner == user_id => owner,
        (Intent::Connect { .. }, Some(_)) => return Err(OAuthError::ConnectedElsewhere(profile.provider)),
        (Intent::Connect { user_id, is_guest }, None) => {
            if is_guest {
                let verified = profile.email_verified && email.is_some();
                users::guest_joins_provider(
                    &mut tx,
                    user_id,
                    profile.provider,
                    &profile.provider_id,
                    email.as_ref(),
                    verified,
                )
                .await?;
            }
            connect(&mut tx, user_id, profile, email.as_ref()).await?;
            user_id
        }
        (Intent::SignIn, None) => {
            // Linked by email only when both sides proved the address: the provider says it is
            // verified, and the local account verified it with us. Otherwise whoever signed up
            // first with someone else's address would receive their sign-in (a pre-claim).
            let verified_email = email.as_ref().filter(|_| profile.email_verified);
            let linked = match verified_email {
                Some(email) => users::verified_local_account_by_email(&mut tx, email).await?,
                None => None,
            };
            let user_id = match linked {
                Some(user_id) => user_id,
                None => create(&mut tx, profile, email.as_ref(), starting_cash).await?,
            };
            connect(&mut tx, user_id, profile, email.as_ref()).await?;
            user_id
        }
    };
    tx.commit().await?;
    Ok(user_id)
}

async fn connect(
    conn: &mut PgConnection,
    user_id: Uuid,
    profile: &ProviderProfile,
    email: Option<&Email>,
) -> Result<(), OAuthError> {
    let email = email.map(Email::as_str);
    identities::insert(conn, user_id, profile.provider, &profile.provider_id, email).await.map_err(|error| match error
        .as_database_error()
        .and_then(|e| e.constraint())
    {
        Some("user_identities_user_id_provider_key") => OAuthError::AlreadyConnected(profile.provider),
        _ => error.into(),
    })
}

async fn create(
    conn: &mut PgConnection,
    profile: &ProviderProfile,
    email: Option<&Email>,
    starting_cash: Money,
) -> Result<Uuid, OAuthError> {
    let fallback = format!("{}-user", profile.provider.as_str());
    let hint = profile.name.as_deref().or(email.map(|e| e.as_str().split('@').next().unwrap_or_default()));
    let mut username = Username::suggest(hint.unwrap_or_default(), &fallback);
    if users::username_taken(conn, &username).await? {
        username = username.with_suffix(&Uuid::new_v4().simple().to_string()[..6]);
    }
    let user = users::NewUser {
        id: Uuid::new_v4(),
        email,
        email_verified: profile.email_verified && email.is_some(),
        password_hash: None,
        username: &username,
        provider: profile.provider,
        provider_id: Some(&profile.provider_id),
        avatar_url: profile.avatar_url.as_deref(),
    };
    insert_with_portfolio(conn, &user, starting_cash).await?;
    Ok(user.id)
}
