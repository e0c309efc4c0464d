//! Buying and selling: market orders in one of the signed-in user's own portfolios.

use crate::domain::Side;
use crate::wire::trading::OrderReceipt;
use crate::wire::AppError;
use leptos::prelude::*;

/// A market order at the current price, in `portfolio` (the one the caller selected when absent).
/// `idempotency_key` (a UUID the page makes per order) makes a double click or a retried
/// request execute once.
#[server(prefix = "/api", endpoint = "place_order")]
pub async fn place_order(
    symbol: String,
    side: String,
    quantity: String,
    idempotency_key: String,
    portfolio: Option<String>,
) -> Result<OrderReceipt, AppError> {
    use crate::domain::{Shares, Symbol};
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::trading::{OrderTicket, Trading};
    use axum::extract::FromRef;
    signed_in(|caller| async move {
        let ticket = OrderTicket {
            symbol: Symbol::parse(&symbol).map_err(|e| AppError::field("symbol", e))?,
            side: parse_side(&side)?,
            quantity: Shares::parse(&quantity).map_err(|e| AppError::field("quantity", e))?,
            idempotency_key: parse_order_key(&idempotency_key)?,
            from_order: None,
        };
        let portfolio = caller.requested(portfolio).await?;
        Ok(Trading::from_ref(&caller.state).place(caller.user.id, portfolio, &ticket).await?.into())
    })
    .await
}

pub fn parse_side(side: &str) -> Result<Side, AppError> {
    Side::parse(side).ok_or_else(|| AppError::field("side", "choose buy or sell"))
}

/// The order form's idempotency key; anything but a UUID means the page is out of date.
pub fn parse_order_key(key: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(key.trim())
        .map_err(|_| AppError::Invalid("this order form is out of date; reload the page".into()))
}
