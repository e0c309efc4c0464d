//! The trade path: one [`Trading`] service, one method per step.
//!
//! 1. Read and quote, before anything is locked: one statement checks ownership and reads what the
//!    order decides on — cash, holdings, what open orders hold back, and the portfolio's version
//!    (`portfolio::owned_for_order`); then the order's own price (the market must be open and know
//!    the symbol) and every holding's, for the value snapshot.
//! 2. Decide with the pure rules ([`settle`]): buying power, the fill, the value afterwards.
//! 3. Write, in one statement that applies only at the version read (`portfolio::repo::fills`):
//!    cash, ledger row, holding, value snapshot and live event. A market order in a personal
//!    portfolio takes this path without a transaction of its own ([`Trading::unlocked`]): two round
//!    trips. When the version moved meanwhile the statement writes nothing and the order is read
//!    and decided again, up to [`UNLOCKED_TRIES`] times, then by the locking path.
//! 4. The locking path ([`Trading::locked`]), for game portfolios (their rules read the game under
//!    the lock), open orders the matcher fills (their row is claimed first) and orders that kept
//!    losing the race: lock the portfolio (which moves its version), read the same state again,
//!    decide, write with the same statement, commit. Nothing is quoted while the lock is held; a
//!    holding that appeared unquoted rolls back, is quoted, and the order starts again. The
//!    `CHECK` constraints (cash ≥ 0, shares > 0) are the backstop (docs/ORDERS.md, step by step).
//! 5. After the commit ([`Trading::after_commit`]): metrics and the coach (with the lesson of a
//!    market order far from the last close), outside the transaction.
//!
//! An idempotency key makes a retried order return the first execution instead of a second one
//! ([`replay`]): the ledger's unique key stops the second write.

mod replay;
mod settle;

pub use replay::rejected;

use crate::domain::coach::order_lessons::far_from_close;
use crate::domain::coach::Advice;
use crate::domain::game::OrderFacts;
use crate::domain::open_order::OrderKind;
use crate::domain::order::{Execution, OrderRejection};
use crate::domain::portfolio::PortfolioKind;
use crate::domain::quote::Quote;
use crate::domain::valuation::total_value;
use crate::domain::{Money, Shares, Side, Symbol};
use crate::server::games;
use crate::server::live;
use crate::server::market::{Market, MarketError, PriceBook};
use crate::server::notifications::repo::NewNotification;
use crate::server::orders;
use crate::server::platform::config::Config;
use crate::server::platform::metrics::Metrics;
use crate::server::platform::state::AppState;
use crate::server::portfolio::repo::fills::{self, Written};
use crate::server::portfolio::repo::portfolios::{self, OrderState, StoredPortfolio};
use crate::server::portfolio::{self, OwnedPortfolio};
use crate::wire::AppError;
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use settle::{GameFill, Settled};
use sqlx::{PgPool, Postgres, Transaction};
use std::sync::Arc;
use uuid::Uuid;

/// Times a market order is read, decided and written without locks before it takes the locking
/// path (each miss means another change to the portfolio committed in between).
const UNLOCKED_TRIES: usize = 3;

/// Times an order under the lock starts over because a holding appeared that had not been quoted;
/// past this, the order is refused as a conflict (another order keeps changing the portfolio).
const REQUOTES: usize = 3;

/// An open order that another instance is filling, or a cancel holds, or that ended already.
pub const ORDER_TAKEN: &str = "that order is being filled or cancelled already";

const JUST_RESET: &str = "your portfolio was just reset; reload the page and try again";

/// A market order, parsed — or an open order the matcher fills.
pub struct OrderTicket {
    pub symbol: Symbol,
    pub side: Side,
    pub quantity: Shares,
    pub idempotency_key: Uuid,
    /// The open order this executes, with why it fills now (`None`: a market order).
    pub from_order: Option<FromOrder>,
}

/// An open order being filled: its id (claimed in the transaction, so only one instance fills
/// it) and the sentence that says why it fills at this price.
pub struct FromOrder {
    pub id: Uuid,
    pub reason: String,
}

/// What placing an order needs, taken from the application state.
#[derive(Clone)]
pub struct Trading {
    pool: PgPool,
    market: Market,
    config: Arc<Config>,
    metrics: Metrics,
}

impl FromRef<AppState> for Trading {
    fn from_ref(state: &AppState) -> Trading {
        Trading {
            pool: state.pool.clone(),
            market: state.market.clone(),
            config: state.config.clone(),
            metrics: state.metrics.clone(),
        }
    }
}

/// The portfolio locked, as the order finds it under the lock, with quotes for every holding.
struct Locked<'m> {
    tx: Transaction<'static, Postgres>,
    state: OrderState,
    book: PriceBook<'m>,
}

/// An order's answer and the portfolio as it left it (for the coach).
type Done = (Execution, StoredPortfolio);

impl Trading {
    /// Places a market order at the current price in the portfolio `requested` of `user_id`
    /// (their personal one when `None`; anyone else's is 404).
    #[tracing::instrument(skip_all, fields(%user_id, symbol = %ticket.symbol, side = ticket.side.as_str()))]
    pub async fn place(
        &self,
        user_id: Uuid,
        requested: Option<Uuid>,
        ticket: &OrderTicket,
    ) -> Result<Execution, AppError> {
        let now = Utc::now();
        let (portfolio, state) =
            portfolio::owned_for_order(&self.pool, user_id, requested, &ticket.symbol, None).await?;
        let quote = match self.quote_order(&ticket.symbol, now).await {
            Ok(quote) => quote,
            Err(no_price) => {
                // A retry of an order that already executed gets its receipt even when nothing
                // can be priced now (the market has closed since, or quotes are down). When a
                // price is there, the ledger's unique key finds the retry when it writes.
                if let Some(execution) = replay::earlier_execution(&self.pool, portfolio, ticket).await? {
                    return Ok(execution);
                }
                return Err(match no_price {
                    NoPrice::Rejected(rejection) => self.reject(rejection),
                    NoPrice::Unavailable => AppError::Unavailable,
                });
            }
        };
        self.run(portfolio, state, ticket, &quote, now).await
    }

    /// Fills the open order `ticket.from_order` of `placed_by` in `portfolio_id` at `quote`:
    /// the same steps as a market order, after the same ownership check, under the lock.
    pub async fn fill_open_order(
        &self,
        placed_by: Uuid,
        portfolio_id: Uuid,
        ticket: &OrderTicket,
        quote: &Quote,
    ) -> Result<Execution, AppError> {
        let this_order = ticket.from_order.as_ref().map(|order| order.id);
        let (portfolio, state) =
            portfolio::owned_for_order(&self.pool, placed_by, Some(portfolio_id), &ticket.symbol, this_order).await?;
        self.run(portfolio, state, ticket, quote, quote.as_of).await
    }

    /// Quotes the holdings, executes at `quote` (without locks when it can), and follows the commit.
    async fn run(
        &self,
        portfolio: OwnedPortfolio,
        state: OrderState,
        ticket: &OrderTicket,
        quote: &Quote,
        now: DateTime<Utc>,
    ) -> Result<Execution, AppError> {
        let mut book = PriceBook::new(&self.market, now);
        book.insert(ticket.symbol.clone(), quote.clone());
        book.fetch(state.stored.holdings.iter().map(|holding| holding.symbol.clone()).collect()).await;
        let unlocked = portfolio.kind() == PortfolioKind::Personal && ticket.from_order.is_none();
        let done = match unlocked {
            true => self.unlocked(portfolio, state, ticket, quote, &mut book).await?,
            false => None,
        };
        let (execution, stored) = match done {
            Some(done) => done,
            None => self.locked(portfolio, ticket, quote, book).await?,
        };
        if !execution.replayed {
            // A market order far from the last close is a moment to explain limit orders.
            let lesson = ticket.from_order.is_none().then(|| {
                let settings = &self.config.coach;
                far_from_close(ticket.symbol.as_str(), ticket.side, quote.price, quote.previous_close, settings)
            });
            self.after_commit(portfolio, &execution, stored, lesson.flatten()).await;
        }
        Ok(execution)
    }

    /// The price an order would execute at now, if the market is open and knows the symbol.
    async fn quote_order(&self, symbol: &Symbol, now: DateTime<Utc>) -> Result<Quote, NoPrice> {
        let hours = &self.market.hours;
        if !hours.is_open(now) {
            return Err(NoPrice::Rejected(OrderRejection::MarketClosed { next_open: hours.next_open(now) }));
        }
        self.market.quote(symbol, now).await.map_err(|error| match error {
            MarketError::UnknownSymbol(symbol) => NoPrice::Rejected(OrderRejection::UnknownSymbol(symbol.to_string())),
            MarketError::Unavailable(_) => NoPrice::Unavailable,
        })
    }

    /// Decides the order on `state` and writes it in one statement that applies only at the
    /// version read; a miss reads the portfolio again. `None`: every try missed (the caller takes
    /// the locking path).
    async fn unlocked(
        &self,
        portfolio: OwnedPortfolio,
        mut state: OrderState,
        ticket: &OrderTicket,
        quote: &Quote,
        book: &mut PriceBook<'_>,
    ) -> Result<Option<Done>, AppError> {
        // A connection per statement: a refusal's replay check takes one of its own.
        for attempt in 1..=UNLOCKED_TRIES {
            let unquoted = book.unasked(state.stored.holdings.iter().map(|holding| &holding.symbol));
            if !unquoted.is_empty() {
                book.fetch(unquoted).await;
            }
            let fill = match settle::allowed(ticket, quote, &state.stored, state.reserved) {
                Ok(fill) => fill,
                Err(rejection) => {
                    return self.refused(portfolio, ticket, Refused::Rules(rejection), state.stored).await.map(Some)
                }
            };
            let settled = settle::settle(ticket, state.stored, book, fill, GameFill::NONE);
            let write = settled.write(portfolio, ticket);
            let written = fills::write(&mut *self.pool.acquire().await?, &write, state.version).await?;
            match written {
                Written::Done => return Ok(Some((settled.execution(ticket), settled.stored))),
                Written::KeyUsed => return self.replayed(portfolio, ticket, settled.stored).await.map(Some),
                Written::VersionMoved => tracing::debug!(attempt, "the portfolio changed since it was read"),
            }
            let mut conn = self.pool.acquire().await?;
            state = portfolios::for_order(&mut conn, portfolio.user_id(), Some(portfolio.id()), &ticket.symbol, None)
                .await?
                .ok_or_else(|| AppError::Conflict(JUST_RESET.into()))?;
        }
        Ok(None)
    }

    /// The locking path: decides the order on the portfolio as it is under its lock, writes it
    /// with the same statement, and commits.
    async fn locked(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        quote: &Quote,
        book: PriceBook<'_>,
    ) -> Result<Done, AppError> {
        let Locked { mut tx, state, book } = self.lock_quoted(portfolio, ticket, book).await?;
        let fill = match settle::allowed(ticket, quote, &state.stored, state.reserved) {
            Ok(fill) => fill,
            Err(rejection) => {
                drop(tx);
                return self.refused(portfolio, ticket, Refused::Rules(rejection), state.stored).await;
            }
        };
        // In a game, its rules decide too, and the fill pays the game's commission.
        let charged = self
            .in_game(&mut tx, portfolio, &state.stored, &book, ticket, quote)
            .await
            .and_then(|game| settle::charge(fill, game));
        let (fill, game) = match charged {
            Ok(charged) => charged,
            Err(error) => {
                drop(tx);
                return self.refused(portfolio, ticket, Refused::Game(error), state.stored).await;
            }
        };
        let settled: Settled = settle::settle(ticket, state.stored, &book, fill, game);
        match fills::write(&mut tx, &settled.write(portfolio, ticket), state.version).await? {
            Written::Done => {}
            Written::KeyUsed => {
                drop(tx);
                return self.replayed(portfolio, ticket, settled.stored).await;
            }
            Written::VersionMoved => {
                // Only a lock holder moves the version, and this transaction holds the lock.
                tracing::error!(portfolio_id = %portfolio.id(), "the version moved under the portfolio's lock");
                return Err(AppError::Internal);
            }
        }
        if let Some(order) = &ticket.from_order {
            let trade_id = settled.execution(ticket).trade_id;
            orders::repo::mark_filled(&mut tx, order.id, trade_id, &order.reason).await?;
            let news = NewNotification::order_news(portfolio.user_id(), "Your order filled", &order.reason, book.now());
            live::publish_notification(&mut tx, &news).await?;
        }
        if let Some(game_id) = settled.game.game_id {
            live::publish_game_change(&mut *tx, game_id).await?;
        }
        tx.commit().await?;
        Ok((settled.execution(ticket), settled.stored))
    }

    /// Begins the order's transaction, locks the portfolio and reads it again — starting over
    /// (after quoting it) whenever it holds a symbol `book` has no quote for. An open order is
    /// claimed first (its row, skipped if another instance or a cancel holds it): order row, then
    /// portfolio, always in that order.
    async fn lock_quoted<'m>(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        mut book: PriceBook<'m>,
    ) -> Result<Locked<'m>, AppError> {
        let this_order = ticket.from_order.as_ref().map(|order| order.id);
        for _ in 0..=REQUOTES {
            let mut tx = crate::server::platform::db::begin(&self.pool).await?;
            if let Some(order) = &ticket.from_order {
                if !orders::repo::claim(&mut tx, order.id).await? {
                    return Err(AppError::Conflict(ORDER_TAKEN.into()));
                }
            }
            // A reset archived it while this order waited: no lock, no state.
            let just_reset = || AppError::Conflict(JUST_RESET.into());
            portfolios::lock(&mut tx, portfolio.id()).await?.ok_or_else(just_reset)?;
            let state =
                portfolios::for_order(&mut tx, portfolio.user_id(), Some(portfolio.id()), &ticket.symbol, this_order)
                    .await?
                    .ok_or_else(just_reset)?;
            let unquoted = book.unasked(state.stored.holdings.iter().map(|holding| &holding.symbol));
            if unquoted.is_empty() {
                return Ok(Locked { tx, state, book });
            }
            drop(tx);
            book.fetch(unquoted).await;
        }
        Err(AppError::Conflict("your portfolio is changing too fast to value; please try again".into()))
    }

    /// The game of a game portfolio's fill and the commission it pays, once the game's rules
    /// allow the order (a refusal names the rule); no game and no commission outside games.
    /// Under the order's lock.
    async fn in_game(
        &self,
        tx: &mut Transaction<'static, Postgres>,
        portfolio: OwnedPortfolio,
        stored: &StoredPortfolio,
        book: &PriceBook<'_>,
        ticket: &OrderTicket,
        quote: &Quote,
    ) -> Result<GameFill, AppError> {
        let Some(game) = games::of_portfolio(tx, portfolio.kind(), portfolio.id()).await? else {
            return Ok(GameFill::NONE);
        };
        let held = stored.holdings.iter().find(|holding| holding.symbol == ticket.symbol);
        let position_value = held.map_or(Money::ZERO, |holding| {
            Money::from_decimal(quote.price.amount() * rust_decimal::Decimal::from(holding.position.shares))
        });
        let facts = OrderFacts {
            symbol: &ticket.symbol,
            side: ticket.side,
            // An open order's kind was checked when it was placed; its fill is a market order's.
            kind: OrderKind::Market,
            quantity: ticket.quantity,
            price: quote.price,
            portfolio_value: total_value(stored.cash, &portfolio::priced(book, &stored.holdings, &[])),
            position_value,
            last_buy_at: None,
            now: book.now(),
        };
        let commission = game.check(tx, portfolio.id(), facts).await?;
        Ok(GameFill { game_id: Some(game.game_id), commission })
    }

    /// A refused order's answer. A retry is judged against the portfolio its first execution
    /// changed (the shares it sold are gone): before refusing, look for that execution.
    async fn refused(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        refused: Refused,
        stored: StoredPortfolio,
    ) -> Result<Done, AppError> {
        match replay::earlier_execution(&self.pool, portfolio, ticket).await? {
            Some(execution) => Ok((execution, stored)),
            None => Err(match refused {
                Refused::Rules(rejection) => self.reject(rejection),
                Refused::Game(error) => {
                    games::note_refusal(&self.pool, portfolio.id(), &error).await;
                    error
                }
            }),
        }
    }

    /// The answer to an order whose idempotency key the portfolio's ledger already holds: the
    /// first execution's receipt.
    async fn replayed(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        stored: StoredPortfolio,
    ) -> Result<Done, AppError> {
        let execution = replay::earlier_execution(&self.pool, portfolio, ticket)
            .await?
            .ok_or_else(|| AppError::Conflict("this order is being placed already; reload the page".into()))?;
        Ok((execution, stored))
    }

    /// What follows a committed order: it is counted, and the coach looks at the portfolio as
    /// the order left it. Neither can fail the order.
    async fn after_commit(
        &self,
        portfolio: OwnedPortfolio,
        execution: &Execution,
        stored: StoredPortfolio,
        lesson: Option<Advice>,
    ) {
        self.metrics.order_executed();
        tracing::info!(trade_id = %execution.trade_id, quantity = execution.quantity.get(), price = %execution.price, "order executed");
        crate::server::coach::after_trade(
            &self.pool,
            &self.market,
            &self.config.coach,
            portfolio,
            stored,
            execution.executed_at,
        )
        .await;
        crate::server::coach::lesson(&self.pool, portfolio, lesson, execution.executed_at).await;
    }

    fn reject(&self, rejection: OrderRejection) -> AppError {
        self.metrics.order_rejected(&rejection);
        rejected(rejection)
    }
}

/// Why an order is refused: the order rules (counted as a rejection), or its game (a rule of
/// the game, or a commission the cash cannot pay).
enum Refused {
    Rules(OrderRejection),
    Game(AppError),
}

/// Why an order cannot be priced now.
enum NoPrice {
    Rejected(OrderRejection),
    Unavailable,
}
