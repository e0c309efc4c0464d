//! Work that runs beside the server: recording each trading day's closing portfolio values, the
//! coach's scheduled rules, matching open orders, price alerts, and deleting expired sessions, abandoned guests, old
//! live events and expired mailed links. Every job is safe to run on several instances at once; the ones that must not
//! overlap take an advisory lock, and an instance that finds it taken skips that round.

use crate::server::watchlist::triggers;
use axum::extract::FromRef;

use crate::server::coach;
use crate::server::live::events;
use crate::server::platform::state::AppState;
use crate::server::portfolio::history;
use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

const SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);
/// Advisory-lock keys of the jobs one instance at a time runs.
const COACH_JOB: i64 = 0x7061_7065_0001;
const ALERTS_JOB: i64 = 0x7061_7065_0002;
/// How long stored live events stay available for reconnecting pages.
const EVENTS_KEPT_FOR: chrono::Duration = chrono::Duration::days(7);

/// Which instances run a job's round.
#[derive(Clone, Copy)]
enum Runs {
    /// Every instance (the job itself copes with the others).
    Everywhere,
    /// One instance at a time, under this advisory-lock key.
    Exclusively(i64),
}

/// Starts the housekeeping tasks; they run until the process exits.
pub fn spawn(state: &AppState) {
    every(state, "record closing values", history::CLOSE_JOB_EVERY, Runs::Everywhere, |state| async move {
        history::record_closes(&state.pool, &state.market, chrono::Utc::now()).await.map(drop)
    });
    every(state, "run the scheduled coach", coach::SCHEDULE_EVERY, Runs::Exclusively(COACH_JOB), |state| async move {
        coach::scheduled_round(&state.pool, &state.market, &state.config.coach, chrono::Utc::now()).await.map(drop)
    });
    every(
        state,
        "match open orders",
        crate::server::orders::matcher::MATCH_EVERY,
        Runs::Everywhere,
        |state| async move {
            let trading = crate::server::trading::Trading::from_ref(&state);
            crate::server::orders::matcher::round(&state.pool, &state.market, &trading, chrono::Utc::now())
                .await
                .map(drop)
        },
    );
    every(
        state,
        "write ended games' final standings",
        crate::server::games::results::FREEZE_EVERY,
        Runs::Everywhere,
        |state| async move {
            crate::server::games::results::freeze_ended(&state.pool, &state.market, chrono::Utc::now()).await.map(drop)
        },
    );
    every(state, "check price alerts", triggers::CHECK_EVERY, Runs::Exclusively(ALERTS_JOB), |state| async move {
        triggers::check(&state.pool, &state.market, chrono::Utc::now()).await.map(drop)
    });
    every(state, "delete expired sessions", SWEEP_EVERY, Runs::Everywhere, |state| async move {
        crate::server::accounts::repo::sessions::delete_expired(&state.pool).await.map(drop)
    });
    every(state, "delete abandoned guests", SWEEP_EVERY, Runs::Everywhere, |state| async move {
        delete_abandoned_guests(&state).await.map(drop)
    });
    every(state, "delete old live events", SWEEP_EVERY, Runs::Everywhere, |state| async move {
        events::delete_before(&state.pool, chrono::Utc::now() - EVENTS_KEPT_FOR).await.map(drop)
    });
    every(state, "delete expired mailed links", SWEEP_EVERY, Runs::Everywhere, |state| async move {
        let mut conn = state.pool.acquire().await?;
        crate::server::accounts::repo::tokens::delete_expired_before(&mut conn, chrono::Utc::now()).await.map(drop)
    });
}

/// Runs `job` now and then every `period` until the process exits. A failed round is logged
/// (`what` names it) and the next tick tries again.
fn every<Job, Round, Error>(state: &AppState, what: &'static str, period: Duration, runs: Runs, job: Job)
where
    Job: Fn(AppState) -> Round + Send + 'static,
    Round: Future<Output = Result<(), Error>> + Send,
    Error: Debug + Send,
{
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            let round = job(state.clone());
            let outcome = match runs {
                Runs::Everywhere => round.await,
                Runs::Exclusively(key) => match crate::server::platform::db::exclusively(&state.pool, key, round).await
                {
                    Ok(Some(outcome)) => outcome,
                    Ok(None) => Ok(()), // another instance has this round
                    Err(error) => {
                        tracing::warn!(%error, "cannot {what}: the job's lock is out of reach; will retry");
                        continue;
                    }
                },
            };
            if let Err(error) = outcome {
                tracing::warn!(?error, "could not {what}; will retry");
            }
        }
    });
}

/// Deletes guest accounts older than `GUEST_RETENTION_MINUTES` that never became real accounts;
/// returns how many.
pub async fn delete_abandoned_guests(state: &AppState) -> Result<u64, sqlx::Error> {
    let retention = chrono::Duration::from_std(state.config.guest_retention).unwrap_or(chrono::Duration::MAX);
    let deleted =
        crate::server::accounts::repo::users::delete_guests_created_before(&state.pool, chrono::Utc::now() - retention)
            .await?;
    if deleted > 0 {
        tracing::info!(deleted, "deleted abandoned guest accounts");
    }
    Ok(deleted)
}
