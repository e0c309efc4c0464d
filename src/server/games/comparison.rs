//! Each player's value over a finished game against the game's benchmark: the chart under the
//! final standings. Anyone who may see the board may see any player's line (it shows values the
//! standings list anyway, and no holdings).

use super::benchmark::{self, BENCHMARK, CHART_POINTS};
use crate::domain::quote::{thin, PricePoint};
use crate::domain::Money;
use crate::server::platform::state::AppState;
use crate::server::portfolio::repo::snapshots;
use crate::wire::games::ValueComparison;
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Finisher {
    place: i32,
    username: String,
    portfolio_id: Uuid,
    value: Decimal,
}

/// The player in `place` of finished game `game_id` — by default the viewer's own place, or the
/// winner's for a viewer who did not play — as `viewer` may see it.
pub async fn of_place(
    state: &AppState,
    game_id: Uuid,
    viewer: Uuid,
    place: Option<usize>,
) -> Result<ValueComparison, AppError> {
    let mut conn = state.pool.acquire().await?;
    let game = super::viewing(&mut conn, game_id, viewer).await?.game;
    if game.final_at.is_none() {
        return Err(AppError::Conflict("each player's chart comes with the final standings".into()));
    }
    let no_place = || AppError::NotFound("that place".into());
    let place = place.map(i32::try_from).transpose().map_err(|_| no_place())?;
    let finisher: Finisher = sqlx::query_as(
        "SELECT r.place, r.username, gp.portfolio_id, r.value
         FROM game_results r JOIN game_players gp ON gp.game_id = r.game_id AND gp.user_id = r.user_id
         WHERE r.game_id = $1
           AND r.place = COALESCE($2, (SELECT place FROM game_results WHERE game_id = $1 AND user_id = $3), 1)",
    )
    .bind(game.id)
    .bind(place)
    .bind(viewer)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(no_place)?;
    let benchmark = benchmark::line(&mut conn, &state.market, &game).await?;
    drop(conn);
    let recorded = snapshots::history(&state.pool, finisher.portfolio_id).await?;
    Ok(ValueComparison {
        place: usize::try_from(finisher.place).unwrap_or_default(),
        username: finisher.username,
        player: until_the_end(recorded, game.ends_at, finisher.value),
        benchmark,
        benchmark_symbol: BENCHMARK.to_owned(),
    })
}

/// The values recorded before the end, thinned, then the final value at the end.
fn until_the_end(
    recorded: Vec<(DateTime<Utc>, Decimal)>,
    ends_at: DateTime<Utc>,
    final_value: Decimal,
) -> Vec<PricePoint> {
    let during: Vec<PricePoint> = recorded
        .into_iter()
        .filter(|(at, _)| *at < ends_at)
        .map(|(at, value)| PricePoint { at, price: Money::from_decimal(value) })
        .collect();
    let mut points = thin(during, CHART_POINTS - 1);
    points.push(PricePoint { at: ends_at, price: Money::from_decimal(final_value) });
    points
}
