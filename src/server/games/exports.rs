//! A game's CSV exports for its organiser: `GET /games/{id}/standings.csv` (the leaderboard
//! now) and `GET /games/{id}/trades.csv` (every fill of every player, oldest first). Signed out,
//! the browser logs in and comes back to the game; anyone but the organiser gets 404.

use super::organiser::organised;
use crate::domain::Money;
use crate::server::accounts::session::{self, AuthSession};
use crate::server::platform::http::plain_page::plain_page;
use crate::server::platform::state::AppState;
use crate::server::portfolio::csv_route::attachment;
use crate::server::portfolio::ledger::text_field;
use crate::wire::AppError;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use std::fmt::Write;
use uuid::Uuid;

pub async fn standings(state: State<AppState>, auth: AuthSession, Path(game): Path<String>) -> Response {
    export(state, auth, game, "standings", |state, game, viewer| async move {
        let board = super::leaderboard(&state, game, viewer).await?;
        let mut out = String::from("place,player,value,total_return_percent,trades,joined_at\r\n");
        for row in board.rows {
            let _ = write!(
                out,
                "{},{},{},{},{},{}\r\n",
                row.place,
                text_field(&row.username),
                row.value.amount(),
                row.total_return.value(),
                row.trades,
                row.joined_at.to_rfc3339_opts(SecondsFormat::Secs, true)
            );
        }
        Ok(out)
    })
    .await
}

#[derive(sqlx::FromRow)]
struct GameTrade {
    executed_at: DateTime<Utc>,
    username: String,
    symbol: String,
    side: String,
    quantity: i64,
    price: Decimal,
    amount: Decimal,
    commission: Option<Decimal>,
}

pub async fn trades(state: State<AppState>, auth: AuthSession, Path(game): Path<String>) -> Response {
    export(state, auth, game, "trades", |state, game, viewer| async move {
        let _ = viewer; // checked by `export`
        let mut conn = state.pool.acquire().await?;
        let rows: Vec<GameTrade> = sqlx::query_as(
            "SELECT t.executed_at, u.username, t.symbol, t.side, t.quantity, t.price, t.amount, t.commission
             FROM game_players gp
             JOIN users u ON u.id = gp.user_id
             JOIN trades t ON t.portfolio_id = gp.portfolio_id
             WHERE gp.game_id = $1
             ORDER BY t.executed_at, t.id",
        )
        .bind(game)
        .fetch_all(&mut *conn)
        .await?;
        let mut out = String::from("executed_at,player,symbol,side,quantity,price,amount,commission\r\n");
        for row in rows {
            let _ = write!(
                out,
                "{},{},{},{},{},{},{},{}\r\n",
                row.executed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                text_field(&row.username),
                row.symbol,
                row.side,
                row.quantity,
                Money::from_decimal(row.price).amount(),
                Money::from_decimal(row.amount).amount(),
                Money::from_decimal(row.commission.unwrap_or_default()).amount()
            );
        }
        Ok(out)
    })
    .await
}

/// The organiser's export `what` of game `game` as made by `make`; the page says why when it fails.
async fn export<Make, Fut>(
    State(state): State<AppState>,
    mut auth: AuthSession,
    game: String,
    what: &str,
    make: Make,
) -> Response
where
    Make: FnOnce(AppState, Uuid, Uuid) -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let Ok(game) = Uuid::parse_str(&game) else { return failed(&AppError::NotFound("that game".into())) };
    let user = match session::require_user(&mut auth, &state.config).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to(&format!("/login?next=/games/{game}")).into_response(),
        Err(error) => return failed(&error),
    };
    let mut conn = match state.pool.acquire().await {
        Ok(conn) => conn,
        Err(error) => return failed(&error.into()),
    };
    // Only the organiser: checked here for both exports, before any work.
    if let Err(error) = organised(&mut conn, game, user.id).await {
        return failed(&error);
    }
    drop(conn);
    match make(state, game, user.id).await {
        Ok(csv) => attachment(&format!("papertrade-game-{what}-{}.csv", Utc::now().format("%Y-%m-%d")), csv),
        Err(error) => failed(&error),
    }
}

fn failed(error: &AppError) -> Response {
    let page = plain_page(
        "The export did not work",
        &match error {
            AppError::NotFound(_) => "Only a game's organiser can export it.".to_owned(),
            _ => "The game could not be exported just now. Please try again in a moment.".to_owned(),
        },
        ("/games", "Back to Games"),
    );
    (error.status_code(), Html(page)).into_response()
}
