//! Buying and selling: market orders for the signed-in user's own portfolio.

use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppError;

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

/// A market order at the current price. `idempotency_key` (a UUID the page makes per order)
/// makes a double click or a retried request execute once.
#[server(prefix = "/api", endpoint = "place_order")]
pub async fn place_order(
    symbol: String,
    side: String,
    quantity: String,
    idempotency_key: String,
) -> Result<OrderReceipt, AppError> {
    use crate::domain::{Shares, Symbol};
    use crate::server::trading::{self, OrderTicket};
    use crate::server::{auth::session, error::respond};
    async move {
        let (state, _, user) = session::signed_in().await?;
        let ticket = OrderTicket {
            symbol: Symbol::parse(&symbol).map_err(|e| AppError::field("symbol", e))?,
            side: parse_side(&side)?,
            quantity: Shares::parse(&quantity).map_err(|e| AppError::field("quantity", e))?,
            idempotency_key: Uuid::parse_str(idempotency_key.trim())
                .map_err(|_| AppError::Invalid("this order form is out of date; reload the page".into()))?,
        };
        trading::place_order(&state.pool, &state.market, &state.config.coach, &state.metrics, user.id, &ticket).await
    }
    .await
    .map_err(respond)
}

pub fn parse_side(side: &str) -> Result<Side, AppError> {
    match side.trim() {
        "buy" => Ok(Side::Buy),
        "sell" => Ok(Side::Sell),
        _ => Err(AppError::field("side", "choose buy or sell")),
    }
}
