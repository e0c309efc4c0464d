//! The `portfolios` table.

use crate::domain::Money;
use sqlx::PgConnection;
use uuid::Uuid;

#[tracing::instrument(skip(conn))]
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
    starting_cash: Money,
    cash_balance: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO portfolios (id, user_id, starting_cash, cash_balance) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user_id)
        .bind(starting_cash.amount())
        .bind(cash_balance.amount())
        .execute(conn)
        .await?;
    Ok(())
}
