//! Session routes outside server functions: `POST /auth/logout` and `POST /auth/refresh`.

use crate::server::accounts::session;

use crate::server::accounts::session::AuthSession;
use crate::server::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// Ends the session on the server and sends the browser home.
pub async fn logout(mut auth: AuthSession) -> Response {
    let signed_in = auth.user.as_ref().map(|user| user.id);
    match auth.logout().await {
        Ok(_) => {
            if let Some(user_id) = signed_in {
                session::announce_sign_in_change(auth.backend.pool(), user_id).await;
            }
            Redirect::to("/").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "logout failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Renews the session of a signed-in user: a new id and a fresh idle expiry — but not a new
/// login: the absolute lifetime still counts from the last real sign-in. 401 when signed out.
pub async fn refresh(State(state): State<AppState>, mut auth: AuthSession) -> Response {
    if let Err(error) = session::require_user(&mut auth, &state.config).await {
        return error.into_response();
    }
    match session::renew(&mut auth).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}
