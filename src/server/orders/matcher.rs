//! The matcher: every price tick, each open order meets the new price — it fills, remembers a
//! new water mark or trigger, or keeps waiting — and orders past their time in force expire.
//!
//! A fill goes through the trade path of market orders ([`Trading::fill_open_order`]): one
//! transaction per order, the same checks, ledger, snapshot, live event and coach. Every
//! instance runs the matcher; each fill first claims its order's row with `FOR UPDATE SKIP
//! LOCKED`, so of two instances (or an instance and a cancel) exactly one gets it, the other
//! moves on without waiting, and the filled order is no longer open for the next round. An
//! advisory lock would let one instance match at a time; row claims let them share the work.
//! While the market is closed nothing fills: orders wait for the open, and a stop the open
//! gaps through fills at the open's price.

use super::repo::{self, OrderRow};
use crate::domain::open_order::Decision;
use crate::server::market::Market;
use crate::server::notifications::repo::NewNotification;
use crate::server::trading::{FromOrder, OrderTicket, Trading, ORDER_TAKEN};
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::time::Duration;

/// How often the matcher looks: once per tick of the simulated market.
pub const MATCH_EVERY: Duration = Duration::from_secs(crate::server::market::simulated::TICK_SECS as u64);

/// What one round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub filled: usize,
    pub rejected: usize,
    pub expired: u64,
    /// Orders another instance or a cancel had claimed.
    pub skipped: usize,
}

/// One round at `now`.
pub async fn round(pool: &PgPool, market: &Market, trading: &Trading, now: DateTime<Utc>) -> Result<Round, AppError> {
    let mut conn = pool.acquire().await?;
    let mut done = Round { expired: repo::expire_due(&mut conn, now).await?, ..Round::default() };
    if !market.hours.is_open(now) {
        return Ok(done);
    }
    let symbols = repo::open_symbols(&mut conn).await?;
    if symbols.is_empty() {
        return Ok(done);
    }
    let open = repo::open_on(&mut conn, &symbols).await?;
    drop(conn);
    let mut book = crate::server::market::PriceBook::new(market, now);
    for order in open {
        let Some(terms) = order.terms() else {
            tracing::error!(order_id = %order.id, "an open order's row does not decode; left alone");
            continue;
        };
        let Some(quote) = book.get(&terms.symbol).await.map(|priced| priced.quote.clone()) else { continue };
        match terms.on_price(order.watch(), quote.price) {
            Decision::Wait(watch) if watch != order.watch() => {
                repo::save_watch(&mut *pool.acquire().await?, order.id, watch).await?;
            }
            Decision::Wait(_) => {}
            Decision::Fill { price, because } => {
                let reason = terms.fill_reason(price, because);
                match fill(pool, trading, &order, &terms, quote, reason).await {
                    Filled::Yes => done.filled += 1,
                    Filled::Rejected => done.rejected += 1,
                    Filled::Taken => done.skipped += 1,
                }
            }
        }
    }
    Ok(done)
}

enum Filled {
    Yes,
    Rejected,
    Taken,
}

async fn fill(
    pool: &PgPool,
    trading: &Trading,
    order: &OrderRow,
    terms: &crate::domain::open_order::OrderTerms,
    quote: crate::domain::quote::Quote,
    reason: String,
) -> Filled {
    let Some(placed_by) = order.placed_by else { return Filled::Taken };
    let ticket = OrderTicket {
        symbol: terms.symbol.clone(),
        side: terms.side,
        quantity: terms.quantity,
        // The order's id: unique in the portfolio, so a fill can never be written twice.
        idempotency_key: order.id,
        from_order: Some(FromOrder { id: order.id, reason }),
    };
    match trading.fill_open_order(placed_by, order.portfolio_id, &ticket, &quote).await {
        Ok(execution) if !execution.replayed => Filled::Yes,
        Ok(_) => Filled::Taken,
        Err(AppError::Conflict(message)) if message == ORDER_TAKEN => Filled::Taken,
        Err(AppError::InvalidField { message, .. } | AppError::Invalid(message)) => {
            // The order rules refused it now (a gap past a stop's margin with the cash gone):
            // it ends, saying why, and its reservation is free again.
            match reject(pool, order, &message).await {
                Ok(true) => Filled::Rejected,
                Ok(false) => Filled::Taken,
                Err(error) => {
                    tracing::warn!(order_id = %order.id, ?error, "an open order could not be rejected this round");
                    Filled::Taken
                }
            }
        }
        Err(error) => {
            tracing::warn!(order_id = %order.id, ?error, "an open order could not be filled this round");
            Filled::Taken
        }
    }
}

/// Ends the open order as rejected for `message` and tells its owner, in one transaction;
/// false when it was no longer open.
async fn reject(pool: &PgPool, order: &OrderRow, message: &str) -> Result<bool, sqlx::Error> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    if !repo::close(&mut tx, order.id, "rejected", message).await? {
        return Ok(false);
    }
    let owner = repo::owner_of(&mut tx, order.portfolio_id).await?;
    let text = format!(
        "Your {} order for {} {} could not fill: {message}",
        order.kind.replace('_', " "),
        order.quantity,
        order.symbol
    );
    let news = NewNotification::order_news(owner, "Your order could not fill", &text, Utc::now());
    crate::server::live::publish_notification(&mut tx, &news).await?;
    tx.commit().await?;
    Ok(true)
}
