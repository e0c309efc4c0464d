//! Orders that wait for a price: placing one and cancelling it. Placing quotes the symbol
//! first (the checks and a trailing stop's water mark need the price; the market may be
//! closed — the order waits for the open), then, under the portfolio's lock, checks the order
//! against what the portfolio's other open orders hold back and stores it with its own
//! reservation. Cancelling and filling change an order only while it is open, so each order
//! ends exactly once. The [`matcher`] fills them as prices move.

pub mod matcher;
pub mod repo;
pub mod view;

use crate::domain::buying_power;
use crate::domain::open_order::{OrderKind, OrderTerms, TermsError};
use crate::domain::order::OrderRejection;
use crate::domain::{Money, Shares};
use crate::server::market::{Market, MarketError};
use crate::server::platform::db;
use crate::server::portfolio::repo::portfolios;
use crate::server::portfolio::OwnedPortfolio;
use crate::server::trading::rejected;
use crate::wire::orders::OrderBook;
use crate::wire::AppError;
use chrono::Utc;
use repo::{OrderFilter, OrderRow};
use sqlx::PgPool;
use uuid::Uuid;

/// An order to place, parsed.
pub struct OpenOrderTicket {
    pub terms: OrderTerms,
    pub idempotency_key: Uuid,
}

/// Places an open order in `portfolio` for `placed_by`; the order as stored. A retry with the
/// same idempotency key gets the order the first attempt placed.
#[tracing::instrument(skip_all, fields(portfolio_id = %portfolio.id(), symbol = %ticket.terms.symbol))]
pub async fn place(
    pool: &PgPool,
    market: &Market,
    placed_by: Uuid,
    portfolio: OwnedPortfolio,
    ticket: &OpenOrderTicket,
) -> Result<OrderRow, AppError> {
    let terms = &ticket.terms;
    let now = Utc::now();
    let quote = quote(market, &terms.symbol).await?;
    terms.check(quote.price).map_err(terms_error)?;
    let watch = terms.first_watch(quote.price);
    let reserved_cash = terms.reserved_cash(watch).map_err(terms_error)?;
    let per_share = terms.worst_price(watch).unwrap_or(quote.price);

    let mut tx = db::begin(pool).await?;
    let stored = portfolios::lock(&mut tx, portfolio.id())
        .await?
        .ok_or_else(|| AppError::Conflict("your portfolio was just reset; reload the page and try again".into()))?;
    if let Some(game) = crate::server::games::of_portfolio(&mut tx, portfolio.kind(), portfolio.id()).await? {
        if let Err(refusal) = game.rules.check_placing(&game.window, terms.kind, now) {
            drop(tx);
            let refusal = AppError::Invalid(crate::wire::error::sentence_case(&refusal.to_string()));
            crate::server::games::note_refusal(pool, portfolio.id(), &refusal).await;
            return Err(refusal);
        }
    }
    let held = crate::server::portfolio::repo::holdings::shares_of(&mut tx, portfolio.id(), &terms.symbol).await?;
    let reserved = repo::reserved(&mut tx, portfolio.id(), &terms.symbol, None).await?;
    buying_power::check(&terms.symbol, terms.side, terms.quantity, per_share, stored.cash, held, reserved)
        .map_err(rejected)?;
    let order = repo::NewOrder {
        portfolio_id: portfolio.id(),
        placed_by,
        terms,
        watch,
        reserved_cash,
        idempotency_key: ticket.idempotency_key,
        placed_at: now,
        expires_at: terms.expires_at(now, market.hours.session_end(now)),
    };
    let (stored, first_time) = match repo::insert_once(&mut tx, &order).await? {
        Some(stored) => (stored, true),
        None => {
            let earlier = repo::by_idempotency_key(&mut tx, portfolio.id(), ticket.idempotency_key).await?;
            (earlier.ok_or(AppError::Internal)?, false)
        }
    };
    tx.commit().await?;
    if first_time {
        let lesson = crate::domain::coach::order_lessons::first_of_its_kind(terms, reserved_cash);
        crate::server::coach::lesson(pool, portfolio, lesson, now).await;
    }
    Ok(stored)
}

/// A change to an open order's quantity, limit or stop; `None` keeps what it is.
#[derive(Default)]
pub struct OrderChange {
    pub quantity: Option<Shares>,
    pub limit: Option<Money>,
    pub stop: Option<Money>,
}

/// Changes the portfolio's open order `id`, atomically: the order is locked (waiting for a fill
/// or cancel that holds it), and a change to an order that filled, expired or was cancelled
/// meanwhile changes nothing and says so. The new terms pass the placing checks again, against
/// what the other open orders hold back.
#[tracing::instrument(skip_all, fields(portfolio_id = %portfolio.id(), order_id = %id))]
pub async fn change(
    pool: &PgPool,
    market: &Market,
    portfolio: OwnedPortfolio,
    id: Uuid,
    change: &OrderChange,
) -> Result<OrderRow, AppError> {
    let not_found = || AppError::NotFound("that order".into());
    let before = repo::by_id(&mut *pool.acquire().await?, portfolio.id(), id).await?.ok_or_else(not_found)?;
    let terms = before.terms().ok_or(AppError::Internal)?;
    let quote = quote(market, &terms.symbol).await?;

    // Order row, then portfolio: the order the matcher locks them in.
    let mut tx = db::begin(pool).await?;
    let order = repo::lock(&mut tx, portfolio.id(), id).await?.ok_or_else(not_found)?;
    if order.state != "open" {
        return Err(closed(&order, "changed"));
    }
    let terms = changed_terms(order.terms().ok_or(AppError::Internal)?, change)?;
    terms.check(quote.price).map_err(terms_error)?;
    let watch = order.watch();
    let reserved_cash = terms.reserved_cash(watch).map_err(terms_error)?;
    let per_share = terms.worst_price(watch).unwrap_or(quote.price);
    let stored = portfolios::lock(&mut tx, portfolio.id())
        .await?
        .ok_or_else(|| AppError::Conflict("your portfolio was just reset; reload the page and try again".into()))?;
    let held = crate::server::portfolio::repo::holdings::shares_of(&mut tx, portfolio.id(), &terms.symbol).await?;
    let reserved = repo::reserved(&mut tx, portfolio.id(), &terms.symbol, Some(id)).await?;
    buying_power::check(&terms.symbol, terms.side, terms.quantity, per_share, stored.cash, held, reserved)
        .map_err(rejected)?;
    let changed = repo::save_terms(&mut tx, id, &terms, reserved_cash).await?;
    tx.commit().await?;
    Ok(changed)
}

/// `terms` with `change` applied; a price the order's kind does not have is a field error.
fn changed_terms(mut terms: OrderTerms, change: &OrderChange) -> Result<OrderTerms, AppError> {
    if let Some(quantity) = change.quantity {
        terms.quantity = quantity;
    }
    terms.kind = match (terms.kind, change.limit, change.stop) {
        (kind, None, None) => kind,
        (OrderKind::Limit { .. }, Some(limit), None) => OrderKind::Limit { limit },
        (OrderKind::Stop { .. }, None, Some(stop)) => OrderKind::Stop { stop },
        (OrderKind::StopLimit { stop, limit }, new_limit, new_stop) => {
            OrderKind::StopLimit { stop: new_stop.unwrap_or(stop), limit: new_limit.unwrap_or(limit) }
        }
        (kind, Some(_), _) => {
            return Err(AppError::field("limit_price", format!("a {} order has no limit price", kind.label())))
        }
        (kind, None, Some(_)) => {
            return Err(AppError::field("stop_price", format!("a {} order has no stop price", kind.label())))
        }
    };
    Ok(terms)
}

/// Cancels the portfolio's open order `id`. An order that filled, expired or was cancelled
/// before this got to it is a conflict that says which.
#[tracing::instrument(skip_all, fields(portfolio_id = %portfolio.id(), order_id = %id))]
pub async fn cancel(pool: &PgPool, portfolio: OwnedPortfolio, id: Uuid) -> Result<OrderRow, AppError> {
    let mut conn = pool.acquire().await?;
    let not_found = || AppError::NotFound("that order".into());
    match repo::cancel(&mut conn, portfolio.id(), id).await?.ok_or_else(not_found)? {
        repo::Cancel::Cancelled(order) => Ok(order),
        repo::Cancel::Closed(order) => Err(closed(&order, "cancelled")),
    }
}

/// The portfolio's orders matching `filter`, newest first (at most [`LISTED`]), with its cash
/// and what its open orders hold back.
pub async fn book(pool: &PgPool, portfolio: OwnedPortfolio, filter: OrderFilter<'_>) -> Result<OrderBook, AppError> {
    let mut conn = pool.acquire().await?;
    let rows = repo::list(&mut conn, portfolio.id(), filter, LISTED).await?;
    let (cash, reserved_cash) = repo::cash_and_reserved(&mut conn, portfolio.id()).await?;
    Ok(OrderBook { orders: rows.iter().filter_map(view::order_view).collect(), reserved_cash, cash })
}

/// The most orders a list shows.
pub const LISTED: i64 = 200;

/// What an order that is no longer open says to a cancel or a change.
fn closed(order: &OrderRow, verb: &str) -> AppError {
    match order.state.as_str() {
        "filled" => AppError::Conflict(format!("that order filled before it could be {verb}; see your history")),
        state => AppError::Conflict(format!("that order is {state} already; it cannot be {verb}")),
    }
}

/// The current price of `symbol`, for the checks at placing and changing.
async fn quote(market: &Market, symbol: &crate::domain::Symbol) -> Result<crate::domain::quote::Quote, AppError> {
    market.quote(symbol, Utc::now()).await.map_err(|error| match error {
        MarketError::UnknownSymbol(symbol) => rejected(OrderRejection::UnknownSymbol(symbol.to_string())),
        MarketError::Unavailable(_) => AppError::Unavailable,
    })
}

fn terms_error(error: TermsError) -> AppError {
    AppError::Invalid(crate::wire::error::sentence_case(&error.to_string()))
}
