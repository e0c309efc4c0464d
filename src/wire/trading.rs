//! The receipt of an executed order.

use crate::domain::order::Execution;
use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an executed order did. `replayed` is true when a retry returned the first execution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderReceipt {
    pub trade_id: Uuid,
    pub symbol: String,
    pub side: Side,
    pub quantity: i64,
    pub price: Money,
    pub amount: Money,
    pub cash_after: Money,
    pub realized_pnl: Option<Money>,
    pub executed_at: DateTime<Utc>,
    pub replayed: bool,
}

impl From<Execution> for OrderReceipt {
    fn from(execution: Execution) -> OrderReceipt {
        OrderReceipt {
            trade_id: execution.trade_id,
            symbol: execution.symbol.to_string(),
            side: execution.side,
            quantity: execution.quantity.get(),
            price: execution.price,
            amount: execution.amount,
            cash_after: execution.cash_after,
            realized_pnl: execution.realized_pnl,
            executed_at: execution.executed_at,
            replayed: execution.replayed,
        }
    }
}
