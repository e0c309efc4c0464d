//! Aggregate, anonymous figures across the whole platform.

use crate::domain::Money;
use crate::wire::platform::PlatformFigures;
use rust_decimal::Decimal;
use sqlx::PgPool;

#[tracing::instrument(skip_all)]
pub async fn platform(pool: &PgPool) -> Result<PlatformFigures, sqlx::Error> {
    let (learners, trades_executed, cash): (i64, i64, Decimal) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM users WHERE is_active),
                (SELECT count(*) FROM trades),
                (SELECT COALESCE(sum(starting_cash), 0) FROM portfolios WHERE archived_at IS NULL)",
    )
    .fetch_one(pool)
    .await?;
    Ok(PlatformFigures { learners, trades_executed, virtual_cash: Money::from_decimal(cash) })
}
