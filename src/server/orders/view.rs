//! An order row as pages show it.

use super::repo::OrderRow;
use crate::domain::open_order::{OrderKind, TimeInForce};
use crate::domain::Money;
use crate::wire::orders::{OrderState, OrderView};

/// The row as a page shows it; `None` (logged) for a row the domain would not have written.
pub fn order_view(row: &OrderRow) -> Option<OrderView> {
    let (Some(terms), Some(state)) = (row.terms(), OrderState::from_column(&row.state)) else {
        tracing::error!(order_id = %row.id, "an order's row does not decode; left out of the list");
        return None;
    };
    let (limit_price, stop_price) = match terms.kind {
        OrderKind::Limit { limit } => (Some(limit), None),
        OrderKind::Stop { stop } => (None, Some(stop)),
        OrderKind::StopLimit { stop, limit } => (Some(limit), Some(stop)),
        OrderKind::Market | OrderKind::TrailingStop { .. } => (None, None),
    };
    let side = terms.side;
    Some(OrderView {
        id: row.id,
        symbol: row.symbol.clone(),
        side,
        quantity: row.quantity,
        kind: terms.kind.as_str().to_owned(),
        title: crate::wire::error::sentence_case(&format!("{} {}", terms.kind.label(), side.as_str())),
        terms: terms.preview(row.watch()),
        limit_price,
        stop_price,
        time_in_force: match terms.time_in_force {
            TimeInForce::Day => "Today only".to_owned(),
            TimeInForce::Gtc => "Until cancelled".to_owned(),
        },
        state,
        reason: row.state_reason.clone(),
        reserved_cash: Money::from_decimal(row.reserved_cash),
        placed_at: row.placed_at,
        expires_at: row.expires_at,
        closed_at: row.closed_at,
    })
}
