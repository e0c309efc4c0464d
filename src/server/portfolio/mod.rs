//! A user's portfolio as a whole: valued at current quotes (with the day's change counted from
//! the previous close), its recorded value history, and starting over.

pub mod history;
pub mod ledger;

use crate::api::AppError;
use crate::domain::valuation::{self, HoldingInput, PortfolioValue};
use crate::domain::{Money, Symbol};
use crate::server::market::Market;
use crate::server::repo::{portfolios, trades};
use crate::server::state::AppState;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Prices holdings for valuation. `traded_today` — (symbol, net shares, net cash) since the day's
/// reference close — adds symbols sold out today, so the day's change includes them. A symbol the
/// market no longer lists is valued at its cost rather than dropped.
pub async fn priced(
    market: &Market,
    holdings: Vec<(String, i64, Decimal)>,
    traded_today: Vec<(String, i64, Decimal)>,
    now: DateTime<Utc>,
) -> Vec<HoldingInput> {
    let sold_out = traded_today
        .iter()
        .filter(|(symbol, ..)| !holdings.iter().any(|(held, ..)| held == symbol))
        .map(|(symbol, _, _)| (symbol.clone(), 0, Decimal::ZERO))
        .collect::<Vec<_>>();
    let mut inputs = Vec::with_capacity(holdings.len() + sold_out.len());
    for (symbol, shares, average_price) in holdings.into_iter().chain(sold_out) {
        let listing = Symbol::parse(&symbol).ok().and_then(|s| market.universe.get(&s));
        let quote = match listing {
            Some(listing) => market.quotes.quote(listing, now).await.ok(),
            None => None,
        };
        let traded = traded_today
            .iter()
            .find(|(traded, ..)| *traded == symbol)
            .map_or((0, Decimal::ZERO), |(_, shares, spent)| (*shares, *spent));
        // Without a quote the holding is valued at its cost and shows no change today.
        let (price, previous_close, (net_shares_today, net_spent_today)) = match quote {
            Some(quote) => (quote.price, quote.previous_close, traded),
            None => {
                let cost = Money::from_decimal(average_price);
                (cost, cost, (0, Decimal::ZERO))
            }
        };
        inputs.push(HoldingInput {
            name: listing.map_or_else(|| symbol.clone(), |l| l.name.clone()),
            sector: listing.map_or_else(|| "Other".to_owned(), |l| l.sector.clone()),
            symbol,
            shares,
            average_price,
            price,
            previous_close,
            net_shares_today,
            net_spent_today,
        });
    }
    inputs
}

/// The user's active portfolio valued at current prices; `None` if they have none.
pub async fn value_of(state: &AppState, user_id: Uuid) -> Result<Option<PortfolioValue>, AppError> {
    // One snapshot of the database for cash, holdings and today's trades, so a trade committing
    // in between cannot be counted twice or missed.
    let mut tx = crate::server::db::begin_read_only_snapshot(&state.pool).await?;
    let Some(stored) = portfolios::holdings_of_active(&mut tx, user_id).await? else { return Ok(None) };
    let now = Utc::now();
    let since = state.market.hours.change_since(now);
    let traded_today = trades::net_since(&mut tx, stored.id, since).await?;
    tx.commit().await?;
    let inputs = priced(&state.market, stored.holdings, traded_today, now).await;
    Ok(Some(valuation::value(stored.cash, stored.starting_cash, inputs, now)))
}

/// Starts the user over: the active portfolio is archived with its ledger, and a new one opens
/// with the configured starting cash.
#[tracing::instrument(skip(state))]
pub async fn reset(state: &AppState, user_id: Uuid) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin(&state.pool).await?;
    let old_id = portfolios::lock_active(&mut tx, user_id)
        .await?
        .ok_or_else(|| AppError::Conflict("your portfolio was just reset; reload the page".into()))?
        .id;
    portfolios::archive(&mut tx, old_id).await?;
    open(&mut tx, user_id, state.config.starting_cash).await?;
    tx.commit().await?;
    tracing::info!(%old_id, "portfolio reset");
    Ok(())
}

/// Opens a portfolio funded with `starting_cash`, with the first point of its value history.
pub async fn open(conn: &mut sqlx::PgConnection, user_id: Uuid, starting_cash: Money) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    portfolios::insert(conn, id, user_id, starting_cash, starting_cash).await?;
    history::record_open(conn, id, starting_cash).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::market_hours::MarketHours;
    use rust_decimal_macros::dec;

    #[tokio::test]
    async fn a_holding_without_a_quote_is_valued_at_cost_with_no_change_today() {
        let market = Market::simulated(MarketHours::Always);
        // ZZZZ is not listed (say, delisted): bought 5 more today for 60, and OLD sold out today for 90.
        let holdings = vec![("ZZZZ".to_owned(), 10, dec!(12))];
        let today = vec![("ZZZZ".to_owned(), 5, dec!(60)), ("OLD".to_owned(), -3, dec!(-90))];
        let inputs = priced(&market, holdings, today, Utc::now()).await;
        let value = valuation::value(Money::from_cents(10_000), Money::from_cents(100_000), inputs, Utc::now());
        assert_eq!(value.total_value, Money::from_cents(22_000), "cash 100 + 10 × 12");
        assert_eq!(value.day_change, Money::ZERO);
        assert_eq!(value.holdings.len(), 1);
    }
}
