//! The buy/sell transaction. One PostgreSQL transaction per order: lock the portfolio row, then
//! its holding rows (always in that order), apply the pure order rules, write ledger row, cash,
//! holding, value snapshot and event, commit (docs/ORDERS.md, step by step). The `CHECK`
//! constraints (cash ≥ 0, shares > 0) are the backstop. An idempotency key makes a retried order
//! return the first execution instead of a second one.
//! Executions and rejections (by reason) are counted in the instance's metrics; replays are not.

use crate::api::live::TradeEvent;
use crate::api::trading::OrderReceipt;
use crate::api::AppError;
use crate::domain::coach::CoachSettings;
use crate::domain::order::{fill, OrderRejection};
use crate::domain::portfolio::Position;
use crate::domain::quote::Quote;
use crate::domain::{Money, Shares, Side, Symbol};
use crate::server::market::{Market, MarketError};
use crate::server::metrics::Metrics;
use crate::server::notify;
use crate::server::portfolio::history;
use crate::server::repo::trades::TradeRow;
use crate::server::repo::{holdings, portfolios, trades};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// A market order, parsed.
pub struct OrderTicket {
    pub symbol: Symbol,
    pub side: Side,
    pub quantity: Shares,
    pub idempotency_key: Uuid,
}

#[tracing::instrument(skip_all, fields(%user_id, symbol = %ticket.symbol, side = ticket.side.as_str()))]
pub async fn place_order(
    pool: &PgPool,
    market: &Market,
    coach: &CoachSettings,
    metrics: &Metrics,
    user_id: Uuid,
    ticket: &OrderTicket,
) -> Result<OrderReceipt, AppError> {
    let reject = |rejection: OrderRejection| {
        metrics.order_rejected(&rejection);
        rejected(rejection)
    };
    let now = Utc::now();
    let quote = match price_now(market, &ticket.symbol, now).await {
        Ok(quote) => quote,
        Err(no_price) => {
            // A retry of an order that already executed gets its receipt even when nothing can
            // be priced now (the market has closed since, or quotes are down). When a price is
            // there, the transaction below finds the retry under the portfolio's lock.
            if let Some(receipt) = earlier_execution(pool, user_id, ticket).await? {
                return Ok(receipt);
            }
            return Err(match no_price {
                NoPrice::Rejected(rejection) => reject(rejection),
                NoPrice::Unavailable => AppError::Unavailable,
            });
        }
    };

    let mut tx = crate::server::db::begin(pool).await?;
    let mut portfolio = portfolios::lock_active(&mut tx, user_id).await?.ok_or_else(|| {
        // Either there never was one, or a reset archived it while this order waited.
        AppError::Conflict("your portfolio was just reset; reload the page and try again".into())
    })?;
    let (portfolio_id, cash) = (portfolio.id, portfolio.cash);
    let mut held = holdings::lock_all(&mut tx, portfolio_id).await?;
    let index = held.iter().position(|(symbol, ..)| symbol == ticket.symbol.as_str());
    let position = index.map(|i| Position { shares: held[i].1, average_price: held[i].2 });
    let fill = match fill(&ticket.symbol, cash, position, ticket.side, ticket.quantity, quote.price) {
        Ok(fill) => fill,
        Err(rejection) => {
            // A retry is judged against the portfolio its first execution changed (the shares
            // it sold are gone): before refusing, look for that execution.
            drop(tx);
            return match earlier_execution(pool, user_id, ticket).await? {
                Some(receipt) => Ok(receipt),
                None => Err(reject(rejection)),
            };
        }
    };
    // The holdings as this order leaves them, for the value snapshot.
    match (index, &fill.position_after) {
        (Some(i), Some(after)) => held[i] = (ticket.symbol.to_string(), after.shares, after.average_price),
        (Some(i), None) => drop(held.remove(i)),
        (None, Some(after)) => held.push((ticket.symbol.to_string(), after.shares, after.average_price)),
        (None, None) => {}
    }
    let trade = trades::NewTrade {
        portfolio_id,
        symbol: &ticket.symbol,
        side: ticket.side,
        quantity: ticket.quantity,
        price: fill.price,
        amount: fill.amount,
        realized_pnl: fill.realized_pnl,
        cash_after: fill.cash_after,
        idempotency_key: ticket.idempotency_key,
        executed_at: now,
    };
    // The ledger row first: its idempotency key is unique per portfolio, so a retry of an order
    // that executed stops here, under the portfolio's lock, and gets the first receipt.
    let Some(trade_id) = trades::insert_once(&mut tx, &trade).await? else {
        drop(tx);
        return earlier_execution(pool, user_id, ticket)
            .await?
            .ok_or_else(|| AppError::Conflict("this order is being placed already; reload the page".into()));
    };
    portfolios::set_cash(&mut tx, portfolio_id, fill.cash_after).await?;
    holdings::save(&mut tx, portfolio_id, &ticket.symbol, fill.position_after.as_ref()).await?;
    history::record_trade(&mut tx, market, portfolio_id, fill.cash_after, held.clone(), now).await?;
    let event = TradeEvent {
        trade_id,
        symbol: ticket.symbol.to_string(),
        side: ticket.side,
        quantity: ticket.quantity.get(),
        price: fill.price,
        executed_at: now,
    };
    notify::publish_trade(&mut tx, user_id, &event).await?;
    tx.commit().await?;
    metrics.order_executed();
    // The coach starts from the portfolio as this order left it.
    (portfolio.cash, portfolio.holdings) = (fill.cash_after, held);
    notify::coach::after_trade(pool, market, coach, user_id, portfolio, now).await;
    tracing::info!(%trade_id, quantity = ticket.quantity.get(), price = %fill.price, "order executed");
    Ok(OrderReceipt {
        trade_id,
        symbol: ticket.symbol.to_string(),
        side: ticket.side,
        quantity: ticket.quantity.get(),
        price: fill.price,
        amount: fill.amount,
        cash_after: fill.cash_after,
        realized_pnl: fill.realized_pnl,
        executed_at: now,
        replayed: false,
    })
}

/// Why an order cannot be priced now.
enum NoPrice {
    Rejected(OrderRejection),
    Unavailable,
}

/// The price an order would execute at now, if the market is open and knows the symbol.
async fn price_now(market: &Market, symbol: &Symbol, now: DateTime<Utc>) -> Result<Quote, NoPrice> {
    if !market.hours.is_open(now) {
        return Err(NoPrice::Rejected(OrderRejection::MarketClosed { next_open: market.hours.next_open(now) }));
    }
    market.quote(symbol, now).await.map_err(|error| match error {
        MarketError::UnknownSymbol(symbol) => NoPrice::Rejected(OrderRejection::UnknownSymbol(symbol.to_string())),
        MarketError::Unavailable(_) => NoPrice::Unavailable,
    })
}

/// The receipt of the order `ticket`'s idempotency key already made, if any.
async fn earlier_execution(
    pool: &PgPool,
    user_id: Uuid,
    ticket: &OrderTicket,
) -> Result<Option<OrderReceipt>, AppError> {
    let mut conn = pool.acquire().await?;
    match trades::by_user_and_idempotency_key(&mut conn, user_id, ticket.idempotency_key).await? {
        Some(row) => replay(row, ticket).map(Some),
        None => Ok(None),
    }
}

/// The first execution of a retried order — unless the key was used for a different order.
fn replay(row: TradeRow, ticket: &OrderTicket) -> Result<OrderReceipt, AppError> {
    let side = row.side();
    if row.symbol != ticket.symbol.as_str() || side != ticket.side || row.quantity != ticket.quantity.get() {
        return Err(AppError::Conflict(
            "this order was already submitted with different details; reload the page".into(),
        ));
    }
    Ok(OrderReceipt {
        trade_id: row.id,
        symbol: row.symbol,
        side,
        quantity: row.quantity,
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
        OrderRejection::MarketClosed { .. } => {
            AppError::Invalid(crate::api::error::sentence_case(&rejection.to_string()))
        }
        _ => AppError::field("quantity", rejection),
    }
}
