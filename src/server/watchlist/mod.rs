//! The watchlist and its price alerts: limits, validation against the current price, and a
//! `watchlist` event so every open page of the user follows changes.

pub mod repo;
pub mod triggers;

use crate::domain::alert::{self, AlertDirection};
use crate::domain::limits::{MAX_PENDING_ALERTS, MAX_WATCHLIST};
use crate::domain::{Money, Symbol};
use crate::server::platform::state::AppState;
use crate::server::watchlist::repo::alerts::{self, AlertRow};
use crate::server::watchlist::repo::items;
use crate::wire::watchlist::{AlertView, WatchlistEntry};
use crate::wire::AppError;
use sqlx::PgPool;
use uuid::Uuid;

/// The user's watchlist in the order symbols were added, each with its quote and alerts.
pub async fn entries(state: &AppState, user_id: Uuid) -> Result<Vec<WatchlistEntry>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let symbols = items::symbols(&mut *conn, user_id).await?;
    let mut alerts = alerts::of_user(&mut *conn, user_id).await?;
    drop(conn);
    let now = chrono::Utc::now();
    let mut entries = Vec::with_capacity(symbols.len());
    for symbol in symbols {
        let parsed = Symbol::parse(&symbol).ok();
        let listing = parsed.as_ref().and_then(|s| state.market.universe.get(s));
        let quote = match &parsed {
            Some(parsed) if listing.is_some() => state.market.quote(parsed, now).await.ok(),
            _ => None,
        };
        let (mine, rest): (Vec<AlertRow>, Vec<AlertRow>) = alerts.into_iter().partition(|a| a.symbol == symbol);
        alerts = rest;
        entries.push(WatchlistEntry {
            name: listing.map_or_else(|| symbol.clone(), |l| l.name.clone()),
            symbol,
            quote,
            alerts: mine.into_iter().map(alert_view).collect(),
        });
    }
    Ok(entries)
}

pub async fn add(pool: &PgPool, user_id: Uuid, symbol: &Symbol) -> Result<(), AppError> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    add_within_limit(&mut tx, user_id, symbol).await?;
    crate::server::live::publish_watchlist_change(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the symbol and its alerts; removing one that is not there is fine.
pub async fn remove(pool: &PgPool, user_id: Uuid, symbol: &Symbol) -> Result<(), AppError> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    let removed = items::remove(&mut tx, user_id, symbol).await?;
    let alerts_removed = alerts::delete_for_symbol(&mut tx, user_id, symbol).await?;
    if removed || alerts_removed > 0 {
        crate::server::live::publish_watchlist_change(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets an alert on the far side of the current price (so it fires on a crossing), adding the
/// symbol to the watchlist if needed.
pub async fn create_alert(
    state: &AppState,
    user_id: Uuid,
    symbol: &Symbol,
    direction: AlertDirection,
    threshold: Money,
) -> Result<AlertView, AppError> {
    let quote = state.market.quote(symbol, chrono::Utc::now()).await.map_err(|_| AppError::Unavailable)?;
    alert::check_new(symbol.as_str(), direction, threshold, quote.price)
        .map_err(|e| AppError::field("threshold", e))?;
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    add_within_limit(&mut tx, user_id, symbol).await?;
    if alerts::pending_count(&mut tx, user_id).await? >= MAX_PENDING_ALERTS {
        return Err(AppError::Conflict(format!(
            "you have {MAX_PENDING_ALERTS} alerts waiting already; delete one before setting another"
        )));
    }
    let row = alerts::insert(&mut tx, user_id, symbol, direction, threshold).await?;
    crate::server::live::publish_watchlist_change(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(alert_view(row))
}

pub async fn delete_alert(pool: &PgPool, user_id: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    if !alerts::delete(&mut *tx, user_id, id).await? {
        return Err(AppError::NotFound("that alert".into()));
    }
    crate::server::live::publish_watchlist_change(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the symbol unless the list is full. Locks the user first, so two requests at once cannot
/// both pass the limit checks of this transaction.
async fn add_within_limit(conn: &mut sqlx::PgConnection, user_id: Uuid, symbol: &Symbol) -> Result<(), AppError> {
    crate::server::accounts::repo::users::lock(conn, user_id).await?;
    if items::add(conn, user_id, symbol).await? && items::count(conn, user_id).await? > MAX_WATCHLIST {
        // The caller's transaction rolls the insert back.
        return Err(AppError::field(
            "symbol",
            format!("a watchlist holds at most {MAX_WATCHLIST} symbols; remove one first"),
        ));
    }
    Ok(())
}

fn alert_view(row: AlertRow) -> AlertView {
    AlertView {
        id: row.id,
        direction: row.direction(),
        symbol: row.symbol,
        threshold: Money::from_decimal(row.threshold),
        created_at: row.created_at,
        triggered_at: row.triggered_at,
        triggered_price: row.triggered_price.map(Money::from_decimal),
    }
}
