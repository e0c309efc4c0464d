//! The trade path: one [`Trading`] service, one method per step.
//!
//! 1. Quote, before anything is locked ([`Trading::quote_order`]): the order's own price (the
//!    market must be open and know the symbol) and every holding's, for the value snapshot; the
//!    holdings come with the ownership check, in one statement.
//! 2. Execute, in one PostgreSQL transaction ([`Trading::execute`]): lock the portfolio row,
//!    then its holding rows (always in that order), check what its open orders hold back
//!    (`domain::buying_power`), apply the pure order rules, write the ledger
//!    row, cash, holding, value snapshot and live event, commit. No quote is asked for while the
//!    locks are held; if a holding appeared meanwhile that was not quoted, the transaction is
//!    rolled back, it is quoted, and the order starts again. The `CHECK` constraints (cash ≥ 0,
//!    shares > 0) are the backstop (docs/ORDERS.md, step by step).
//! 3. After the commit ([`Trading::after_commit`]): metrics and the coach (with the lesson of a
//!    market order far from the last close), outside the transaction.
//!
//! An idempotency key makes a retried order return the first execution instead of a second one
//! ([`replay`]).

mod replay;

pub use replay::rejected;

use crate::domain::buying_power;
use crate::domain::coach::order_lessons::far_from_close;
use crate::domain::coach::Advice;
use crate::domain::game::OrderFacts;
use crate::domain::open_order::OrderKind;
use crate::domain::order::{fill, Execution, Fill, OrderRejection};
use crate::domain::portfolio::Holding;
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
use crate::server::portfolio::repo::portfolios::{self, StoredPortfolio};
use crate::server::portfolio::repo::{holdings, trades};
use crate::server::portfolio::{self, history, OwnedPortfolio};
use crate::wire::live::TradeEvent;
use crate::wire::AppError;
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use std::sync::Arc;
use uuid::Uuid;

/// Times an order starts over because a holding appeared that had not been quoted; past this,
/// the order is refused as a conflict (another order keeps changing the portfolio).
const REQUOTES: usize = 3;

/// An open order that another instance is filling, or a cancel holds, or that ended already.
pub const ORDER_TAKEN: &str = "that order is being filled or cancelled already";

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

/// The portfolio and its holdings, locked, with quotes for every holding.
struct Locked<'m> {
    tx: Transaction<'static, Postgres>,
    stored: StoredPortfolio,
    book: PriceBook<'m>,
}

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
        // The ownership check, and the holdings to quote before anything is locked: one statement.
        let (portfolio, held) = portfolio::owned_with_holdings(&self.pool, user_id, requested).await?;
        let quote = match self.quote_order(&ticket.symbol, now).await {
            Ok(quote) => quote,
            Err(no_price) => {
                // A retry of an order that already executed gets its receipt even when nothing
                // can be priced now (the market has closed since, or quotes are down). When a
                // price is there, the transaction finds the retry under the portfolio's lock.
                if let Some(execution) = replay::earlier_execution(&self.pool, portfolio, ticket).await? {
                    return Ok(execution);
                }
                return Err(match no_price {
                    NoPrice::Rejected(rejection) => self.reject(rejection),
                    NoPrice::Unavailable => AppError::Unavailable,
                });
            }
        };
        self.run(portfolio, held, ticket, &quote, now).await
    }

    /// Fills the open order `ticket.from_order` of `placed_by` in `portfolio_id` at `quote`:
    /// the same steps as a market order, after the same ownership check.
    pub async fn fill_open_order(
        &self,
        placed_by: Uuid,
        portfolio_id: Uuid,
        ticket: &OrderTicket,
        quote: &Quote,
    ) -> Result<Execution, AppError> {
        let (portfolio, held) = portfolio::owned_with_holdings(&self.pool, placed_by, Some(portfolio_id)).await?;
        self.run(portfolio, held, ticket, quote, quote.as_of).await
    }

    /// Quotes the holdings, locks, executes at `quote`, and follows the commit.
    async fn run(
        &self,
        portfolio: OwnedPortfolio,
        held: Vec<Holding>,
        ticket: &OrderTicket,
        quote: &Quote,
        now: DateTime<Utc>,
    ) -> Result<Execution, AppError> {
        let mut book = PriceBook::new(&self.market, now);
        book.insert(ticket.symbol.clone(), quote.clone());
        book.fetch(held.into_iter().map(|holding| holding.symbol).collect()).await;
        let locked = self.lock_quoted(portfolio, ticket, book).await?;
        let (execution, stored) = self.execute(portfolio, ticket, quote, locked).await?;
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

    /// Begins the order's transaction and locks the portfolio and its holdings — starting over
    /// (after quoting it) whenever a holding is locked that `book` has no quote for.
    /// An open order is claimed first (its row, skipped if another instance or a cancel holds
    /// it): order row, then portfolio, then holdings, always in that order.
    async fn lock_quoted<'m>(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        mut book: PriceBook<'m>,
    ) -> Result<Locked<'m>, AppError> {
        for _ in 0..=REQUOTES {
            let mut tx = crate::server::platform::db::begin(&self.pool).await?;
            if let Some(order) = &ticket.from_order {
                if !orders::repo::claim(&mut tx, order.id).await? {
                    return Err(AppError::Conflict(ORDER_TAKEN.into()));
                }
            }
            let mut stored = portfolios::lock(&mut tx, portfolio.id()).await?.ok_or_else(|| {
                // A reset archived it while this order waited.
                AppError::Conflict("your portfolio was just reset; reload the page and try again".into())
            })?;
            stored.holdings = holdings::lock_all(&mut tx, portfolio.id()).await?;
            let unquoted = book.unasked(stored.holdings.iter().map(|holding| &holding.symbol));
            if unquoted.is_empty() {
                return Ok(Locked { tx, stored, book });
            }
            drop(tx);
            book.fetch(unquoted).await;
        }
        Err(AppError::Conflict("your portfolio is changing too fast to value; please try again".into()))
    }

    /// Applies the order to the locked portfolio and commits. Returns the execution and the
    /// portfolio as the order left it (for the coach).
    async fn execute(
        &self,
        portfolio: OwnedPortfolio,
        ticket: &OrderTicket,
        quote: &Quote,
        locked: Locked<'_>,
    ) -> Result<(Execution, StoredPortfolio), AppError> {
        let Locked { mut tx, mut stored, book } = locked;
        let now = book.now();
        let index = stored.holdings.iter().position(|holding| holding.symbol == ticket.symbol);
        let position = index.map(|i| stored.holdings[i].position);
        // What the portfolio's open orders hold back is not for this order to spend or sell.
        let this_order = ticket.from_order.as_ref().map(|order| order.id);
        let reserved = orders::repo::reserved(&mut tx, portfolio.id(), &ticket.symbol, this_order).await?;
        let held = position.map_or(0, |position| position.shares);
        let (cash, symbol) = (stored.cash, &ticket.symbol);
        let allowed = buying_power::check(symbol, ticket.side, ticket.quantity, quote.price, cash, held, reserved)
            .and_then(|()| fill(symbol, cash, position, ticket.side, ticket.quantity, quote.price));
        // In a game, its rules decide too, and the fill pays the game's commission.
        let allowed = match allowed {
            Ok(fill) => self
                .in_game(&mut tx, portfolio, &stored, &book, ticket, quote)
                .await
                .and_then(|game| charge(fill, game))
                .map_err(Refused::Game),
            Err(rejection) => Err(Refused::Rules(rejection)),
        };
        let (fill, GameFill { game_id, commission }) = match allowed {
            Ok(charged) => charged,
            Err(refused) => {
                // A retry is judged against the portfolio its first execution changed (the
                // shares it sold are gone): before refusing, look for that execution.
                drop(tx);
                return match replay::earlier_execution(&self.pool, portfolio, ticket).await? {
                    Some(execution) => Ok((execution, stored)),
                    None => Err(match refused {
                        Refused::Rules(rejection) => self.reject(rejection),
                        Refused::Game(error) => {
                            games::note_refusal(&self.pool, portfolio.id(), &error).await;
                            error
                        }
                    }),
                };
            }
        };
        // The holdings as this order leaves them, for the value snapshot and the coach.
        match (index, fill.position_after) {
            (Some(i), Some(after)) => stored.holdings[i].position = after,
            (Some(i), None) => drop(stored.holdings.remove(i)),
            (None, Some(position)) => stored.holdings.push(Holding { symbol: ticket.symbol.clone(), position }),
            (None, None) => {}
        }
        stored.cash = fill.cash_after;
        let trade = trades::NewTrade {
            portfolio_id: portfolio.id(),
            symbol: &ticket.symbol,
            side: ticket.side,
            quantity: ticket.quantity,
            price: fill.price,
            amount: fill.amount,
            realized_pnl: fill.realized_pnl,
            cash_after: fill.cash_after,
            idempotency_key: ticket.idempotency_key,
            order_id: this_order,
            commission,
            executed_at: now,
        };
        // The ledger row first: its idempotency key is unique per portfolio, so a retry of an
        // order that executed stops here, under the portfolio's lock, and gets the first receipt.
        let Some(trade_id) = trades::insert_once(&mut tx, &trade).await? else {
            drop(tx);
            let execution = replay::earlier_execution(&self.pool, portfolio, ticket)
                .await?
                .ok_or_else(|| AppError::Conflict("this order is being placed already; reload the page".into()))?;
            return Ok((execution, stored));
        };
        if let Some(order) = &ticket.from_order {
            orders::repo::mark_filled(&mut tx, order.id, trade_id, &order.reason).await?;
            let news = NewNotification::order_news(portfolio.user_id(), "Your order filled", &order.reason, now);
            live::publish_notification(&mut tx, &news).await?;
        }
        portfolios::set_cash(&mut tx, portfolio.id(), fill.cash_after).await?;
        holdings::save(&mut tx, portfolio.id(), &ticket.symbol, fill.position_after.as_ref()).await?;
        let value_after = total_value(fill.cash_after, &portfolio::priced(&book, &stored.holdings, &[]));
        history::record_trade(&mut tx, portfolio.id(), fill.cash_after, value_after, now).await?;
        let event = TradeEvent {
            portfolio_id: portfolio.id(),
            trade_id,
            symbol: ticket.symbol.to_string(),
            side: ticket.side,
            quantity: ticket.quantity.get(),
            price: fill.price,
            executed_at: now,
        };
        live::publish_trade(&mut tx, portfolio.user_id(), &event).await?;
        if let Some(game_id) = game_id {
            live::publish_game_change(&mut *tx, game_id).await?;
        }
        tx.commit().await?;
        let execution = Execution {
            trade_id,
            symbol: ticket.symbol.clone(),
            side: ticket.side,
            quantity: ticket.quantity,
            price: fill.price,
            amount: fill.amount,
            cash_after: fill.cash_after,
            realized_pnl: fill.realized_pnl,
            executed_at: now,
            replayed: false,
        };
        Ok((execution, stored))
    }

    /// The game of a game portfolio's fill and the commission it pays, once the game's rules
    /// allow the order (a refusal names the rule); no game and no commission outside games.
    /// Under the order's locks.
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
            return Ok(GameFill { game_id: None, commission: Money::ZERO });
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

/// Why an order is refused under its locks: the order rules (counted as a rejection), or its
/// game (a rule of the game, or a commission the cash cannot pay).
enum Refused {
    Rules(OrderRejection),
    Game(AppError),
}

/// The fill with `commission` out of its cash; refused when the cash cannot pay both.
/// The game a fill counts in (its leaderboard changes) and the commission it pays.
struct GameFill {
    game_id: Option<Uuid>,
    commission: Money,
}

fn charge(fill: Fill, game: GameFill) -> Result<(Fill, GameFill), AppError> {
    let commission = game.commission;
    match fill.cash_after.checked_sub(commission).filter(|left| !left.is_negative()) {
        Some(cash_after) => Ok((Fill { cash_after, ..fill }, game)),
        None => Err(AppError::field(
            "quantity",
            format!("not enough cash for this order and its {} commission; try fewer shares", commission.to_usd()),
        )),
    }
}

/// Why an order cannot be priced now.
enum NoPrice {
    Rejected(OrderRejection),
    Unavailable,
}
