//! Retries of an order: an idempotency key used again in the same portfolio returns the
//! execution it made the first time, unless the retry asks for something else.

use crate::domain::order::{Execution, OrderRejection};
use crate::domain::Money;
use crate::server::portfolio::repo::trades::{self, TradeRow};
use crate::server::portfolio::OwnedPortfolio;
use crate::server::trading::OrderTicket;
use crate::wire::error::sentence_case;
use crate::wire::AppError;
use sqlx::PgPool;

/// The execution the order `ticket`'s idempotency key already made in `portfolio`, if any.
pub(super) async fn earlier_execution(
    pool: &PgPool,
    portfolio: OwnedPortfolio,
    ticket: &OrderTicket,
) -> Result<Option<Execution>, AppError> {
    let mut conn = pool.acquire().await?;
    match trades::by_idempotency_key(&mut conn, portfolio.id(), ticket.idempotency_key).await? {
        Some(row) => replay(row, ticket).map(Some),
        None => Ok(None),
    }
}

/// The first execution of a retried order — unless the key was used for a different order.
fn replay(row: TradeRow, ticket: &OrderTicket) -> Result<Execution, AppError> {
    let side = row.side();
    if row.symbol != ticket.symbol.as_str() || side != ticket.side || row.quantity != ticket.quantity.get() {
        return Err(AppError::Conflict(
            "this order was already submitted with different details; reload the page".into(),
        ));
    }
    Ok(Execution {
        trade_id: row.id,
        // Checked equal to the ticket's just above.
        symbol: ticket.symbol.clone(),
        side,
        quantity: ticket.quantity,
        price: Money::from_decimal(row.price),
        amount: Money::from_decimal(row.amount),
        cash_after: Money::from_decimal(row.cash_after),
        realized_pnl: row.realized_pnl.map(Money::from_decimal),
        executed_at: row.executed_at,
        replayed: true,
    })
}

/// A rejection, attached to the form field a learner would change.
pub fn rejected(rejection: OrderRejection) -> AppError {
    match rejection {
        OrderRejection::UnknownSymbol(_) => AppError::field("symbol", rejection),
        OrderRejection::MarketClosed { .. } => AppError::Invalid(sentence_case(&rejection.to_string())),
        _ => AppError::field("quantity", rejection),
    }
}
