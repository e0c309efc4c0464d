//! Orders that wait for a price: placing, changing and cancelling them, and listing them. Each
//! acts on one of the caller's own portfolios (`portfolio`; the one they selected when absent).

// `submit_order` takes one argument per field of the order form (the browser's stub of a server
// function carries no attributes of its own, so the allowance is the module's).
#![allow(clippy::too_many_arguments)]

use crate::wire::orders::{OrderBook, OrderOutcome, OrderView};
use crate::wire::AppError;
use leptos::prelude::*;

/// The order form's endpoint, for every kind: a `market` order executes now (as
/// `place_order` does), and a `limit`, `stop`, `stop_limit` or `trailing_stop` order is stored
/// to wait for its price. Prices are dollars; `trail` is dollars, or whole percent when
/// `trail_unit` is `percent`; `time_in_force` is `day` (the default) or `gtc`. The
/// `idempotency_key` (a UUID the page makes per order) makes a retried request act once.
#[server(prefix = "/api", endpoint = "submit_order")]
pub async fn submit_order(
    symbol: String,
    side: String,
    quantity: String,
    kind: Option<String>,
    limit_price: Option<String>,
    stop_price: Option<String>,
    trail: Option<String>,
    trail_unit: Option<String>,
    time_in_force: Option<String>,
    idempotency_key: String,
    portfolio: Option<String>,
) -> Result<OrderOutcome, AppError> {
    use crate::domain::open_order::form::{self, PriceFields};
    use crate::domain::open_order::{OrderKind, OrderTerms};
    use crate::domain::Shares;
    use crate::server::market::view::known_symbol;
    use crate::server::orders::{self, view::order_view, OpenOrderTicket};
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::trading::{OrderTicket, Trading};
    use axum::extract::FromRef;
    signed_in(|caller| async move {
        let field = |error: form::FieldError| AppError::field(error.field, error.message);
        let text = |input: &Option<String>| input.clone().unwrap_or_default();
        let (kind, limit_price, stop_price, trail, trail_unit) =
            (text(&kind), text(&limit_price), text(&stop_price), text(&trail), text(&trail_unit));
        let prices = PriceFields {
            kind: &kind,
            limit_price: &limit_price,
            stop_price: &stop_price,
            trail: &trail,
            trail_unit: &trail_unit,
        };
        let order_kind = prices.kind().map_err(field)?;
        let state = &caller.state;
        let symbol = known_symbol(&state.market, &symbol)?;
        let side = crate::api::trading::parse_side(&side)?;
        let quantity = Shares::parse(&quantity).map_err(|e| AppError::field("quantity", e))?;
        let idempotency_key = crate::api::trading::parse_order_key(&idempotency_key)?;
        if order_kind == OrderKind::Market {
            let ticket = OrderTicket { symbol, side, quantity, idempotency_key, from_order: None };
            let portfolio = caller.requested(portfolio).await?;
            let execution = Trading::from_ref(state).place(caller.user.id, portfolio, &ticket).await?;
            return Ok(OrderOutcome::Executed(execution.into()));
        }
        let time_in_force = form::time_in_force(time_in_force.as_deref().unwrap_or_default()).map_err(field)?;
        let terms = OrderTerms { symbol, side, quantity, kind: order_kind, time_in_force };
        let portfolio = caller.portfolio(portfolio).await?;
        let ticket = OpenOrderTicket { terms, idempotency_key };
        let row = orders::place(&state.pool, &state.market, caller.user.id, portfolio, &ticket).await?;
        order_view(&row).map(OrderOutcome::Waiting).ok_or(AppError::Internal)
    })
    .await
}

/// Changes an open order's quantity, limit price or stop price (blank keeps it). An order that
/// filled, expired or was cancelled meanwhile is not changed, and the answer says which (409).
#[server(prefix = "/api", endpoint = "change_order")]
pub async fn change_order(
    order_id: String,
    quantity: Option<String>,
    limit_price: Option<String>,
    stop_price: Option<String>,
    portfolio: Option<String>,
) -> Result<OrderView, AppError> {
    use crate::domain::{Money, Shares};
    use crate::server::orders::{self, view::order_view, OrderChange};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let given =
            |input: &Option<String>| input.as_deref().map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned);
        let price = |field: &str, input: &Option<String>| {
            given(input).map(|text| Money::parse_non_negative(&text).map_err(|e| AppError::field(field, e))).transpose()
        };
        let change = OrderChange {
            quantity: given(&quantity)
                .map(|text| Shares::parse(&text).map_err(|e| AppError::field("quantity", e)))
                .transpose()?,
            limit: price("limit_price", &limit_price)?,
            stop: price("stop_price", &stop_price)?,
        };
        let id = parse_order_id(&order_id)?;
        let portfolio = caller.portfolio(portfolio).await?;
        let row = orders::change(&caller.state.pool, &caller.state.market, portfolio, id, &change).await?;
        order_view(&row).ok_or(AppError::Internal)
    })
    .await
}

/// Cancels an open order; one that filled or ended before the cancel got to it is a 409 that says so.
#[server(prefix = "/api", endpoint = "cancel_order")]
pub async fn cancel_order(order_id: String, portfolio: Option<String>) -> Result<OrderView, AppError> {
    use crate::server::orders::{self, view::order_view};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let id = parse_order_id(&order_id)?;
        let row = orders::cancel(&caller.state.pool, caller.portfolio(portfolio).await?, id).await?;
        order_view(&row).ok_or(AppError::Internal)
    })
    .await
}

/// The portfolio's orders, newest first: every state, or only the open ones (`open_only` is
/// `true`), of one `symbol` or all; with its cash and what the open ones hold back.
#[server(prefix = "/api", endpoint = "my_orders")]
pub async fn my_orders(
    portfolio: Option<String>,
    symbol: Option<String>,
    open_only: Option<bool>,
) -> Result<OrderBook, AppError> {
    use crate::domain::Symbol;
    use crate::server::orders::{self, repo::OrderFilter};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let symbol = match symbol.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => Some(Symbol::parse(text).map_err(|e| AppError::field("symbol", e))?),
            None => None,
        };
        let filter = OrderFilter { symbol: symbol.as_ref(), open_only: open_only.unwrap_or(false) };
        orders::book(&caller.state.pool, caller.portfolio(portfolio).await?, filter).await
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_order_id(order_id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(order_id.trim()).map_err(|_| AppError::NotFound("that order".into()))
}
