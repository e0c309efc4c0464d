//! The `portfolio_snapshots` table: a portfolio's value as it was at open, after each trade,
//! and at each trading day's close.

use crate::domain::portfolio::Holding;
use crate::domain::Money;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Why a snapshot was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotKind {
    Open,
    Trade,
}

impl SnapshotKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            SnapshotKind::Open => "open",
            SnapshotKind::Trade => "trade",
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    kind: SnapshotKind,
    cash: Money,
    total_value: Money,
    taken_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO portfolio_snapshots (portfolio_id, kind, cash, total_value, taken_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(portfolio_id)
    .bind(kind.as_str())
    .bind(cash.amount())
    .bind(total_value.amount())
    .bind(taken_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A portfolio's value at one trading day's close.
pub struct Close {
    pub portfolio_id: Uuid,
    pub cash: Money,
    pub total_value: Money,
}

/// Records the closes of `trading_day`; a portfolio that already has one (another instance was
/// faster) keeps it. Returns how many were written.
pub async fn insert_closes(
    pool: &PgPool,
    trading_day: NaiveDate,
    taken_at: DateTime<Utc>,
    closes: &[Close],
) -> Result<u64, sqlx::Error> {
    let ids: Vec<Uuid> = closes.iter().map(|c| c.portfolio_id).collect();
    let cash: Vec<Decimal> = closes.iter().map(|c| c.cash.amount()).collect();
    let totals: Vec<Decimal> = closes.iter().map(|c| c.total_value.amount()).collect();
    let result = sqlx::query(
        "INSERT INTO portfolio_snapshots (portfolio_id, kind, trading_day, cash, total_value, taken_at)
         SELECT id, 'close', $4, cash, total, $5 FROM UNNEST($1::uuid[], $2::numeric[], $3::numeric[]) AS c(id, cash, total)
         ON CONFLICT (portfolio_id, trading_day) WHERE kind = 'close' DO NOTHING",
    )
    .bind(&ids)
    .bind(&cash)
    .bind(&totals)
    .bind(trading_day)
    .bind(taken_at)
    .execute(pool)
    .await?;
    Ok(result.rows_affected())
}

/// Up to `limit` active portfolios opened before `opened_before` that have no close for
/// `trading_day` yet, with their cash and holdings.
pub async fn lacking_close(
    pool: &PgPool,
    trading_day: NaiveDate,
    opened_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(Uuid, Money, Vec<Holding>)>, sqlx::Error> {
    // Cash and holdings from one snapshot, so a trade committing in between is not half seen.
    let mut tx = crate::server::platform::db::begin_read_only_snapshot(pool).await?;
    let portfolios: Vec<(Uuid, Decimal)> = sqlx::query_as(
        "SELECT p.id, p.cash_balance FROM portfolios p
         WHERE p.archived_at IS NULL AND p.created_at < $2
           AND NOT EXISTS (SELECT 1 FROM portfolio_snapshots s
                           WHERE s.portfolio_id = p.id AND s.kind = 'close' AND s.trading_day = $1)
         ORDER BY p.id LIMIT $3",
    )
    .bind(trading_day)
    .bind(opened_before)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = portfolios.iter().map(|(id, _)| *id).collect();
    let mut holdings = crate::server::portfolio::repo::holdings::of_portfolios(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(portfolios
        .into_iter()
        .map(|(id, cash)| (id, Money::from_decimal(cash), holdings.remove(&id).unwrap_or_default()))
        .collect())
}

/// Every snapshot of a portfolio, oldest first: (taken at, total value).
pub async fn history(pool: &PgPool, portfolio_id: Uuid) -> Result<Vec<(DateTime<Utc>, Decimal)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT taken_at, total_value FROM portfolio_snapshots WHERE portfolio_id = $1 ORDER BY taken_at, id",
    )
    .bind(portfolio_id)
    .fetch_all(pool)
    .await
}
