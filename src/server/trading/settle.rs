//! From a portfolio as an order found it to what the order writes and answers, without I/O: the
//! order rules (`domain::buying_power`, `domain::order::fill`), a game's commission, and the fill
//! settled into the ledger row, the holdings afterwards and the portfolio's value after it.

use super::OrderTicket;
use crate::domain::buying_power::{self, Reserved};
use crate::domain::order::{fill, Execution, Fill, OrderRejection};
use crate::domain::portfolio::Holding;
use crate::domain::quote::Quote;
use crate::domain::valuation::total_value;
use crate::domain::Money;
use crate::server::live;
use crate::server::market::PriceBook;
use crate::server::portfolio::repo::fills::FillWrite;
use crate::server::portfolio::repo::portfolios::StoredPortfolio;
use crate::server::portfolio::repo::trades::NewTrade;
use crate::server::portfolio::{self, OwnedPortfolio};
use crate::wire::live::TradeEvent;
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The fill the order rules allow at `quote`, given what open orders hold back.
pub(super) fn allowed(
    ticket: &OrderTicket,
    quote: &Quote,
    stored: &StoredPortfolio,
    reserved: Reserved,
) -> Result<Fill, OrderRejection> {
    let (symbol, cash) = (&ticket.symbol, stored.cash);
    let position = stored.holdings.iter().find(|holding| &holding.symbol == symbol).map(|holding| holding.position);
    let held = position.map_or(0, |position| position.shares);
    buying_power::check(symbol, ticket.side, ticket.quantity, quote.price, cash, held, reserved)?;
    fill(symbol, cash, position, ticket.side, ticket.quantity, quote.price)
}

/// The game a fill counts in (its leaderboard changes) and the commission it pays.
pub(super) struct GameFill {
    pub game_id: Option<Uuid>,
    pub commission: Money,
}

impl GameFill {
    pub(super) const NONE: GameFill = GameFill { game_id: None, commission: Money::ZERO };
}

/// The fill with `commission` out of its cash; refused when the cash cannot pay both.
pub(super) fn charge(fill: Fill, game: GameFill) -> Result<(Fill, GameFill), AppError> {
    let commission = game.commission;
    match fill.cash_after.checked_sub(commission).filter(|left| !left.is_negative()) {
        Some(cash_after) => Ok((Fill { cash_after, ..fill }, game)),
        None => Err(AppError::field(
            "quantity",
            format!("not enough cash for this order and its {} commission; try fewer shares", commission.to_usd()),
        )),
    }
}

/// A fill settled against the portfolio it was decided on.
pub(super) struct Settled {
    trade_id: Uuid,
    fill: Fill,
    pub game: GameFill,
    /// The portfolio as the order leaves it (for the coach).
    pub stored: StoredPortfolio,
    value_after: Money,
    executed_at: DateTime<Utc>,
}

/// Settles `fill` into `stored`: the holdings and cash afterwards, and their value at `book`'s prices.
pub(super) fn settle(
    ticket: &OrderTicket,
    mut stored: StoredPortfolio,
    book: &PriceBook<'_>,
    fill: Fill,
    game: GameFill,
) -> Settled {
    let index = stored.holdings.iter().position(|holding| holding.symbol == ticket.symbol);
    match (index, fill.position_after) {
        (Some(i), Some(after)) => stored.holdings[i].position = after,
        (Some(i), None) => drop(stored.holdings.remove(i)),
        (None, Some(position)) => stored.holdings.push(Holding { symbol: ticket.symbol.clone(), position }),
        (None, None) => {}
    }
    stored.cash = fill.cash_after;
    let value_after = total_value(fill.cash_after, &portfolio::priced(book, &stored.holdings, &[]));
    Settled { trade_id: Uuid::new_v4(), fill, game, stored, value_after, executed_at: book.now() }
}

impl Settled {
    /// Everything the fill writes, in one statement's worth.
    pub(super) fn write<'a>(&'a self, portfolio: OwnedPortfolio, ticket: &'a OrderTicket) -> FillWrite<'a> {
        let fill = &self.fill;
        let event = TradeEvent {
            portfolio_id: portfolio.id(),
            trade_id: self.trade_id,
            symbol: ticket.symbol.to_string(),
            side: ticket.side,
            quantity: ticket.quantity.get(),
            price: fill.price,
            executed_at: self.executed_at,
        };
        let (event_kind, event) = live::trade_news(&event);
        FillWrite {
            trade_id: self.trade_id,
            trade: NewTrade {
                portfolio_id: portfolio.id(),
                symbol: &ticket.symbol,
                side: ticket.side,
                quantity: ticket.quantity,
                price: fill.price,
                amount: fill.amount,
                realized_pnl: fill.realized_pnl,
                cash_after: fill.cash_after,
                idempotency_key: ticket.idempotency_key,
                order_id: ticket.from_order.as_ref().map(|order| order.id),
                commission: self.game.commission,
                executed_at: self.executed_at,
            },
            position_after: fill.position_after.as_ref(),
            total_value: self.value_after,
            user_id: portfolio.user_id(),
            event_kind,
            event,
        }
    }

    /// The receipt of the fill once it is written.
    pub(super) fn execution(&self, ticket: &OrderTicket) -> Execution {
        let fill = &self.fill;
        Execution {
            trade_id: self.trade_id,
            symbol: ticket.symbol.clone(),
            side: ticket.side,
            quantity: ticket.quantity,
            price: fill.price,
            amount: fill.amount,
            cash_after: fill.cash_after,
            realized_pnl: fill.realized_pnl,
            executed_at: self.executed_at,
            replayed: false,
        }
    }
}
