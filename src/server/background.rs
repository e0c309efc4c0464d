//! Work that runs beside the server: recording each trading day's closing portfolio values, and
//! deleting expired sessions and abandoned guests.

use super::portfolio::history;
use super::state::AppState;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

const SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);

/// Starts the housekeeping tasks; they run until the process exits.
pub fn spawn(state: &AppState) {
    let store = PostgresStore::new(state.pool.clone());
    tokio::spawn(async move {
        if let Err(error) = store.continuously_delete_expired(SWEEP_EVERY).await {
            tracing::error!(%error, "expired-session sweeper stopped");
        }
    });
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
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            delete_abandoned_guests(&state).await;
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
