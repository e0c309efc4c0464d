//! A portfolio as a whole: valued at current quotes (with the day's change counted from the
//! previous close), its recorded value history, its ledger, and starting over. Every function
//! here takes an [`OwnedPortfolio`]: the ownership check comes first, once.

pub mod csv_route;
pub mod history;
pub mod ledger;
mod owned;
pub mod repo;
pub mod selection;

pub use owned::{owned_for_order, owned_in, owned_portfolio, requested_portfolio, OwnedPortfolio, OwnedThisRender};

use crate::domain::portfolio::{Holding, PortfolioKind};
use crate::domain::valuation::{self, HoldingInput, PortfolioValue};
use crate::domain::Money;
use crate::server::market::PriceBook;
use crate::server::platform::state::AppState;
use crate::server::portfolio::repo::portfolios;
use crate::server::portfolio::repo::trades::{self, NetTrading};
use crate::wire::AppError;
use chrono::Utc;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Prices holdings for valuation from what `book` already knows (it asks for nothing, so it may
/// run under row locks). `traded_today` — net trading since the day's reference close — adds
/// symbols sold out today, so the day's change includes them. A holding without a quote (no
/// longer listed, quotes down, or not in the book) is valued at its cost, showing no change.
pub fn priced(book: &PriceBook<'_>, holdings: &[Holding], traded_today: &[NetTrading]) -> Vec<HoldingInput> {
    let sold_out = traded_today
        .iter()
        .filter(|traded| !holdings.iter().any(|held| held.symbol == traded.symbol))
        .map(|traded| (&traded.symbol, 0, Decimal::ZERO));
    let held = holdings.iter().map(|held| (&held.symbol, held.position.shares, held.position.average_price));
    held.chain(sold_out)
        .map(|(symbol, shares, average_price)| {
            let priced = book.known(symbol).flatten();
            let traded = traded_today
                .iter()
                .find(|traded| traded.symbol == *symbol)
                .map_or((0, Decimal::ZERO), |traded| (traded.shares, traded.spent));
            let (price, previous_close, (net_shares_today, net_spent_today)) = match priced {
                Some(priced) => (priced.quote.price, priced.quote.previous_close, traded),
                None => {
                    let cost = Money::from_decimal(average_price);
                    (cost, cost, (0, Decimal::ZERO))
                }
            };
            HoldingInput {
                name: priced.map_or_else(|| symbol.to_string(), |p| p.name.clone()),
                sector: priced.map_or_else(|| "Other".to_owned(), |p| p.sector.clone()),
                symbol: symbol.to_string(),
                shares,
                average_price,
                price,
                previous_close,
                net_shares_today,
                net_spent_today,
            }
        })
        .collect()
}

/// The portfolio valued at current prices.
pub async fn value_of(state: &AppState, portfolio: OwnedPortfolio) -> Result<PortfolioValue, AppError> {
    // One snapshot of the database for cash, holdings and today's trades, so a trade committing
    // in between cannot be counted twice or missed.
    let mut tx = crate::server::platform::db::begin_read_only_snapshot(&state.pool).await?;
    let stored = portfolios::with_holdings(&mut tx, portfolio.id())
        .await?
        .ok_or_else(|| AppError::Conflict("this portfolio was just reset; reload the page".into()))?;
    let now = Utc::now();
    let since = state.market.hours.change_since(now);
    let traded_today = trades::net_since(&mut tx, stored.id, since).await?;
    tx.commit().await?;
    let mut book = PriceBook::new(&state.market, now);
    let symbols = stored.holdings.iter().map(|held| &held.symbol).chain(traded_today.iter().map(|t| &t.symbol));
    book.fetch(symbols.cloned().collect()).await;
    let inputs = priced(&book, &stored.holdings, &traded_today);
    Ok(valuation::value(stored.cash, stored.starting_cash, inputs, now))
}

/// Starts the learner over: their personal portfolio is archived with its ledger, and a new one
/// opens with the configured starting cash. A game's portfolio follows the game's rules instead.
#[tracing::instrument(skip(state))]
pub async fn reset(state: &AppState, portfolio: OwnedPortfolio) -> Result<(), AppError> {
    if portfolio.kind() != PortfolioKind::Personal {
        return Err(AppError::Invalid("only your personal portfolio can be reset".into()));
    }
    let mut tx = crate::server::platform::db::begin(&state.pool).await?;
    portfolios::lock(&mut tx, portfolio.id())
        .await?
        .ok_or_else(|| AppError::Conflict("your portfolio was just reset; reload the page".into()))?;
    portfolios::archive(&mut tx, portfolio.id()).await?;
    open(&mut tx, portfolio.user_id(), state.config.starting_cash).await?;
    tx.commit().await?;
    tracing::info!(old_id = %portfolio.id(), "portfolio reset");
    Ok(())
}

/// Opens a personal portfolio funded with `starting_cash`, with the first point of its value history.
pub async fn open(conn: &mut sqlx::PgConnection, user_id: Uuid, starting_cash: Money) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    portfolios::insert(conn, id, user_id, PortfolioKind::Personal, starting_cash, starting_cash).await?;
    history::record_open(conn, id, starting_cash).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::market_hours::MarketHours;
    use crate::domain::portfolio::Position;
    use crate::domain::Symbol;
    use crate::server::market::Market;
    use rust_decimal_macros::dec;

    #[tokio::test]
    async fn a_holding_without_a_quote_is_valued_at_cost_with_no_change_today() {
        let market = Market::simulated(MarketHours::Always, crate::server::market::simulated::MarketSeed::new(1));
        let symbol = |text: &str| Symbol::parse(text).unwrap();
        // ZZZZ is not listed (say, delisted): bought 5 more today for 60, and OLD sold out today for 90.
        let holdings =
            vec![Holding { symbol: symbol("ZZZZ"), position: Position { shares: 10, average_price: dec!(12) } }];
        let today = vec![
            NetTrading { symbol: symbol("ZZZZ"), shares: 5, spent: dec!(60) },
            NetTrading { symbol: symbol("OLD"), shares: -3, spent: dec!(-90) },
        ];
        let mut book = PriceBook::new(&market, Utc::now());
        book.fetch(vec![symbol("ZZZZ"), symbol("OLD")]).await;
        let inputs = priced(&book, &holdings, &today);
        let value = valuation::value(Money::from_cents(10_000), Money::from_cents(100_000), inputs, Utc::now());
        assert_eq!(value.total_value, Money::from_cents(22_000), "cash 100 + 10 × 12");
        assert_eq!(value.day_change, Money::ZERO);
        assert_eq!(value.holdings.len(), 1);
    }

    #[tokio::test]
    async fn a_holding_the_book_never_asked_for_is_valued_at_cost() {
        let market = Market::simulated(MarketHours::Always, crate::server::market::simulated::MarketSeed::new(1));
        let aapl = Symbol::parse("AAPL").unwrap();
        let holdings = vec![Holding { symbol: aapl, position: Position { shares: 2, average_price: dec!(100) } }];
        let book = PriceBook::new(&market, Utc::now());
        let inputs = priced(&book, &holdings, &[]);
        assert_eq!(inputs[0].price, Money::from_cents(10_000), "no IO: the cost, not a quote");
    }
}
