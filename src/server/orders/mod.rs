//! Orders that wait for a price: placing one and cancelling it. Placing quotes the symbol
//! first (the checks and a trailing stop's water mark need the price; the market may be
//! closed — the order waits for the open), then, under the portfolio's lock, checks the order
//! against what the portfolio's other open orders hold back and stores it with its own
//! reservation. Cancelling and filling change an order only while it is open, so each order
//! ends exactly once. The [`matcher`] fills them as prices move.

pub mod matcher;
pub mod repo;

use crate::domain::buying_power;
use crate::domain::open_order::{OrderTerms, TermsError};
use crate::domain::order::OrderRejection;
use crate::server::market::{Market, MarketError};
use crate::server::platform::db;
use crate::server::portfolio::repo::portfolios;
use crate::server::portfolio::OwnedPortfolio;
use crate::server::trading::rejected;
use crate::wire::AppError;
use chrono::Utc;
use repo::OrderRow;
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
    let quote = market.quote(&terms.symbol, now).await.map_err(|error| match error {
        MarketError::UnknownSymbol(symbol) => rejected(OrderRejection::UnknownSymbol(symbol.to_string())),
        MarketError::Unavailable(_) => AppError::Unavailable,
    })?;
    terms.check(quote.price).map_err(terms_error)?;
    let watch = terms.first_watch(quote.price);
    let reserved_cash = terms.reserved_cash(watch).map_err(terms_error)?;
    let per_share = terms.worst_price(watch).unwrap_or(quote.price);

    let mut tx = db::begin(pool).await?;
    let stored = portfolios::lock(&mut tx, portfolio.id())
        .await?
        .ok_or_else(|| AppError::Conflict("your portfolio was just reset; reload the page and try again".into()))?;
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
    let id = repo::insert_once(&mut tx, &order).await?;
    tx.commit().await?;
    let mut conn = pool.acquire().await?;
    let stored = match id {
        Some(id) => repo::by_id(&mut conn, portfolio.id(), id).await?,
        None => repo::by_idempotency_key(&mut conn, portfolio.id(), ticket.idempotency_key).await?,
    };
    stored.ok_or(AppError::Internal)
}

/// Cancels the portfolio's open order `id`. An order that filled, expired or was cancelled
/// before this got to it is a conflict that says which.
#[tracing::instrument(skip_all, fields(portfolio_id = %portfolio.id(), order_id = %id))]
pub async fn cancel(pool: &PgPool, portfolio: OwnedPortfolio, id: Uuid) -> Result<OrderRow, AppError> {
    let mut conn = pool.acquire().await?;
    let not_found = || AppError::NotFound("that order".into());
    match repo::cancel(&mut conn, portfolio.id(), id).await?.ok_or_else(not_found)? {
        repo::Cancel::Cancelled(order) => Ok(order),
        repo::Cancel::Closed(order) if order.state == "filled" => {
            Err(AppError::Conflict("that order filled before it could be cancelled; see your history".into()))
        }
        repo::Cancel::Closed(order) => {
            Err(AppError::Conflict(format!("that order is {} already; it cannot be cancelled", order.state)))
        }
    }
}

fn terms_error(error: TermsError) -> AppError {
    AppError::Invalid(crate::wire::error::sentence_case(&error.to_string()))
}
