//! `GET /history.csv`: the whole trade ledger of the portfolio the signed-in user selected as a CSV download. Signed out, the
//! browser is sent to log in and comes back to the History page.

use crate::server::accounts::session::{self, AuthSession};
use crate::server::platform::http::plain_page::plain_page;
use crate::server::platform::state::AppState;
use crate::server::portfolio::{ledger, selection};
use crate::wire::AppError;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};

pub async fn download(State(state): State<AppState>, mut auth: AuthSession) -> Response {
    let user = match session::require_user(&mut auth, &state.config).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login?next=/history").into_response(),
        Err(error) => return failed(&error),
    };
    let csv = match selection::owned(&state.pool, &auth, user.id, None).await {
        Ok(portfolio) => ledger::csv(&state.pool, portfolio).await,
        Err(error) => Err(error),
    };
    match csv {
        Ok(csv) => attachment(&format!("papertrade-trades-{}.csv", chrono::Utc::now().format("%Y-%m-%d")), csv),
        Err(error) => failed(&error),
    }
}

/// A CSV download named `filename`, never cached.
pub fn attachment(filename: &str, csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    )
        .into_response()
}

fn failed(error: &AppError) -> Response {
    let status = error.status_code();
    let page = plain_page(
        "The export did not work",
        "Your trade history could not be exported just now. Please try again in a moment.",
        ("/history", "Back to History"),
    );
    (status, Html(page)).into_response()
}
