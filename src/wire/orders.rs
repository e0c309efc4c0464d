//! Orders that wait, as pages show them: one order with its state and why it is in it, and a
//! portfolio's orders with what the open ones hold back.

use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an order is in its life. Only `Open` can change; every other state is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    Open,
    Filled,
    Cancelled,
    Expired,
    Rejected,
}

impl OrderState {
    /// The state the `orders` table stores as `state`.
    pub fn from_column(state: &str) -> Option<OrderState> {
        Some(match state {
            "open" => OrderState::Open,
            "filled" => OrderState::Filled,
            "cancelled" => OrderState::Cancelled,
            "expired" => OrderState::Expired,
            "rejected" => OrderState::Rejected,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderState::Open => "Open",
            OrderState::Filled => "Filled",
            OrderState::Cancelled => "Cancelled",
            OrderState::Expired => "Expired",
            OrderState::Rejected => "Rejected",
        }
    }
}

/// One order that waits (or waited) for a price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: Uuid,
    pub symbol: String,
    pub side: Side,
    pub quantity: i64,
    /// `limit`, `stop`, `stop_limit`, `trailing_stop` (the form's values).
    pub kind: String,
    /// "Limit buy", "Trailing stop sell".
    pub title: String,
    /// What it waits for, in one sentence (the preview's words, at the latest water mark).
    pub terms: String,
    pub limit_price: Option<Money>,
    pub stop_price: Option<Money>,
    /// "Today only" or "Until cancelled".
    pub time_in_force: String,
    pub state: OrderState,
    /// Why it filled, was rejected, expired or was cancelled.
    pub reason: Option<String>,
    /// Cash it holds back while open (a sell holds back `quantity` shares instead).
    pub reserved_cash: Money,
    pub placed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A portfolio's orders, newest first, and what the open ones hold back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBook {
    pub orders: Vec<OrderView>,
    /// Cash the open buys hold back, over all symbols.
    pub reserved_cash: Money,
    /// The portfolio's cash now, so a page can show cash, reserved and available together.
    pub cash: Money,
}

/// What the order form's submission did: a market order executed now, any other kind waits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderOutcome {
    Executed(crate::wire::trading::OrderReceipt),
    Waiting(OrderView),
}
