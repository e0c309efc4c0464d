//! Work that runs beside the server: recording each trading day's closing portfolio values, the
//! coach's scheduled rules, price alerts, and deleting expired sessions, abandoned guests and old
//! live events. Every job is safe to run on several instances at once.

use super::notify::{alerts, coach};
use super::portfolio::history;
use super::repo::events;
use super::state::AppState;
use std::time::Duration;

const SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);
/// Advisory-lock keys of the jobs one instance at a time runs (any other instance skips that round).
const COACH_JOB: i64 = 0x7061_7065_0001;
const ALERTS_JOB: i64 = 0x7061_7065_0002;
/// How long stored live events stay available for reconnecting pages.
const EVENTS_KEPT_FOR: chrono::Duration = chrono::Duration::days(7);

/// Starts the housekeeping tasks; they run until the process exits.
pub fn spawn(state: &AppState) {
    let (pool, market) = (state.pool.clone(), state.market.clone());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(history::CLOSE_JOB_EVERY);
        loop {
            ticks.tick().await;
            if let Err(error) = history::record_closes(&pool, &market, chrono::Utc::now()).await {
                tracing::warn!(%error, "could not record closing values; will retry");
            }
        }
    });
    let (pool, market, settings) = (state.pool.clone(), state.market.clone(), state.config.coach.clone());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(coach::SCHEDULE_EVERY);
        loop {
            ticks.tick().await;
            let round = coach::scheduled_round(&pool, &market, &settings, chrono::Utc::now());
            match super::db::exclusively(&pool, COACH_JOB, round).await {
                Ok(Some(Err(error))) => tracing::warn!(?error, "the scheduled coach run failed; will retry"),
                Err(error) => tracing::warn!(%error, "cannot start the scheduled coach run; will retry"),
                Ok(_) => {}
            }
        }
    });
    let (pool, market) = (state.pool.clone(), state.market.clone());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(alerts::CHECK_EVERY);
        loop {
            ticks.tick().await;
            match super::db::exclusively(&pool, ALERTS_JOB, alerts::check(&pool, &market, chrono::Utc::now())).await {
                Ok(Some(Err(error))) => tracing::warn!(?error, "could not check price alerts; will retry"),
                Err(error) => tracing::warn!(%error, "cannot start the price-alert check; will retry"),
                Ok(_) => {}
            }
        }
    });
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            if let Err(error) = super::repo::sessions::delete_expired(&state.pool).await {
                tracing::warn!(%error, "could not delete expired sessions; will retry");
            }
            delete_abandoned_guests(&state).await;
            if let Err(error) = events::delete_before(&state.pool, chrono::Utc::now() - EVENTS_KEPT_FOR).await {
                tracing::warn!(%error, "could not delete old live events");
            }
        }
    });
}

/// Deletes guest accounts older than `GUEST_RETENTION_MINUTES` that never became real accounts.
pub async fn delete_abandoned_guests(state: &AppState) -> u64 {
    let retention = chrono::Duration::from_std(state.config.guest_retention).unwrap_or(chrono::Duration::MAX);
    let cutoff = chrono::Utc::now() - retention;
    match super::repo::users::delete_guests_created_before(&state.pool, cutoff).await {
        Ok(deleted) => {
            if deleted > 0 {
                tracing::info!(deleted, "deleted abandoned guest accounts");
            }
            deleted
        }
        Err(error) => {
            tracing::warn!(%error, "could not delete abandoned guests");
            0
        }
    }
}
