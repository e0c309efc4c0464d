//! The price-alert evaluator: every few seconds, each symbol with waiting alerts is quoted once
//! and every alert its price crosses fires — claimed by one conditional `UPDATE`, so each fires
//! exactly once however many instances run this — and becomes a notification. Prices are compared
//! at each check, so a move that crosses and comes back between two checks (5 s) goes unseen.

use crate::domain::coach;
use crate::domain::{Money, Symbol};
use crate::server::live::publish_notification;
use crate::server::market::Market;
use crate::server::notifications::repo::NewNotification;
use crate::server::watchlist::repo::alerts;
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::time::Duration;

/// How often waiting alerts are checked against the market.
pub const CHECK_EVERY: Duration = Duration::from_secs(5);

/// One pass; returns how many alerts fired.
pub async fn check(pool: &PgPool, market: &Market, now: DateTime<Utc>) -> Result<usize, AppError> {
    let symbols = alerts::pending_symbols(pool).await?;
    let mut fired = 0;
    for text in symbols {
        let Ok(symbol) = Symbol::parse(&text) else { continue };
        let Ok(quote) = market.quote(&symbol, now).await else { continue };
        let name = market.listing(&symbol).map_or_else(|_| text.clone(), |listing| listing.name.clone());
        // One transaction per alert: the alert fires together with its notification, and each
        // transaction writes events for one user only (see `events::insert`).
        for id in alerts::crossed(pool, symbol.as_str(), quote.price).await? {
            let mut tx = crate::server::platform::db::begin(pool).await?;
            let Some(alert) = alerts::fire(&mut tx, id, quote.price, now).await? else { continue };
            let threshold = Money::from_decimal(alert.threshold);
            let advice = coach::price_alert(symbol.as_str(), &name, alert.direction(), threshold, quote.price);
            publish_notification(&mut tx, &NewNotification::advice(alert.user_id, &advice, now)).await?;
            crate::server::live::publish_watchlist_change(&mut tx, alert.user_id).await?;
            tx.commit().await?;
            fired += 1;
        }
    }
    Ok(fired)
}
