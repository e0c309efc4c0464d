//! A portfolio's value over time, recorded as it happens: a snapshot when it opens, one after
//! every trade (inside the trade's transaction), and one per trading day at the close, written by
//! a background job that any number of instances may run at once.

use crate::server::portfolio::priced;

use crate::domain::quote::{thin, PricePoint};
use crate::domain::valuation::total_value;
use crate::domain::Money;
use crate::server::market::{Market, PriceBook};
use crate::server::portfolio::repo::snapshots::{self, Close, SnapshotKind};
use crate::server::portfolio::OwnedPortfolio;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// How often the close job looks for portfolios without the last close.
pub const CLOSE_JOB_EVERY: Duration = Duration::from_secs(60);
/// Portfolios valued per round trip of the close job.
const CLOSE_BATCH: i64 = 500;
/// At most this many points go to the browser; long histories are thinned evenly.
const CHART_POINTS: usize = 400;

pub async fn record_open(conn: &mut PgConnection, portfolio_id: Uuid, cash: Money) -> Result<(), sqlx::Error> {
    snapshots::insert(conn, portfolio_id, SnapshotKind::Open, cash, cash, Utc::now()).await
}

/// Records the portfolio's value after a trade, in the trade's transaction: `cash` and
/// `total_value` as the trade left them (valued from quotes taken before it began).
pub async fn record_trade(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    cash: Money,
    total_value: Money,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    snapshots::insert(conn, portfolio_id, SnapshotKind::Trade, cash, total_value, at).await
}

/// Writes the last trading day's close for every active portfolio that lacks it; returns how many.
#[tracing::instrument(skip_all)]
pub async fn record_closes(pool: &PgPool, market: &Market, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let (trading_day, closed_at) = market.hours.last_close(now);
    let mut written = 0;
    // Quotes are asked for once per symbol over the whole job, not once per portfolio.
    let mut book = PriceBook::new(market, now);
    loop {
        let batch = snapshots::lacking_close(pool, trading_day, closed_at, CLOSE_BATCH).await?;
        book.fetch(batch.iter().flat_map(|(_, _, held)| held.iter().map(|holding| holding.symbol.clone())).collect())
            .await;
        let closes: Vec<Close> = batch
            .iter()
            .map(|(portfolio_id, cash, held)| Close {
                portfolio_id: *portfolio_id,
                cash: *cash,
                total_value: total_value(*cash, &priced(&book, held, &[])),
            })
            .collect();
        written += snapshots::insert_closes(pool, trading_day, now, &closes).await?;
        if (batch.len() as i64) < CLOSE_BATCH {
            break;
        }
    }
    if written > 0 {
        tracing::info!(written, %trading_day, "recorded closing values");
    }
    Ok(written)
}

/// The portfolio's recorded values, oldest first, thinned for a chart.
pub async fn of_portfolio(pool: &PgPool, portfolio: OwnedPortfolio) -> Result<Vec<PricePoint>, sqlx::Error> {
    let points = snapshots::history(pool, portfolio.id())
        .await?
        .into_iter()
        .map(|(at, value)| PricePoint { at, price: Money::from_decimal(value) })
        .collect();
    // One point is kept free for the value now, which the page adds.
    Ok(thin(points, CHART_POINTS - 1))
}
