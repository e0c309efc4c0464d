//! A game's benchmark: what its starting cash would be worth in SPY (an S&P 500 fund) bought at
//! the game's start — the reference row under the leaderboard, so a class sees whether picking
//! stocks beat simply holding the index. The start price is found once in the quote history (the
//! last point at or before the start) and kept; an ended game keeps its end price too.

use super::repo::GameRow;
use crate::domain::game::{benchmark_line, PriceAt};
use crate::domain::quote::{thin, ChartRange, Percent, PricePoint};
use crate::domain::{Money, Symbol};
use crate::server::market::Market;
use crate::wire::games::BenchmarkRow;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

/// The benchmark's symbol.
pub const BENCHMARK: &str = "SPY";
/// At most this many points in a chart line.
pub const CHART_POINTS: usize = 300;

/// The benchmark row of `game` at `now` (its end price once final); `None` before the start, or
/// when SPY is not listed or has no price.
pub async fn row(
    conn: &mut PgConnection,
    market: &Market,
    game: &GameRow,
    now: DateTime<Utc>,
) -> Result<Option<BenchmarkRow>, sqlx::Error> {
    if now < game.starts_at {
        return Ok(None);
    }
    let Some(start) = start_price(conn, market, game).await? else { return Ok(None) };
    let end = match game.benchmark_end_price {
        Some(end) if game.final_at.is_some() => Some(end),
        _ => price_now(market, now).await,
    };
    let Some(end) = end else { return Ok(None) };
    Ok(Some(of(game.starting_cash, start, end)))
}

/// The row for cash `starting_cash` put into the benchmark at `start` and valued at `end`.
fn of(starting_cash: Decimal, start: Decimal, end: Decimal) -> BenchmarkRow {
    let value = Money::from_decimal(starting_cash * end / start);
    BenchmarkRow { symbol: BENCHMARK.to_owned(), value, total_return: Percent::of(end - start, start) }
}

/// SPY's quote now.
pub async fn price_now(market: &Market, now: DateTime<Utc>) -> Option<Decimal> {
    let symbol = Symbol::parse(BENCHMARK).ok()?;
    market.quote(&symbol, now).await.ok().map(|quote| quote.price.amount())
}

/// The price at the game's start: kept once found.
async fn start_price(conn: &mut PgConnection, market: &Market, game: &GameRow) -> Result<Option<Decimal>, sqlx::Error> {
    if let Some(start) = game.benchmark_start_price {
        return Ok(Some(start));
    }
    let Some(found) = price_at_start(market, game.starts_at, Utc::now()).await else { return Ok(None) };
    sqlx::query("UPDATE games SET benchmark_start_price = $2 WHERE id = $1 AND benchmark_start_price IS NULL")
        .bind(game.id)
        .bind(found)
        .execute(conn)
        .await?;
    Ok(Some(found))
}

/// The last price at or before `start` in the history since it (an older start than the year
/// takes the year's first point).
async fn price_at_start(market: &Market, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<Decimal> {
    let points = history_since(market, start, now).await?;
    let before = points.iter().rev().find(|point| point.at <= start).or(points.first())?;
    Some(before.price.amount())
}

/// The benchmark's prices in the shortest chart range that reaches back from `now` to `start` (a
/// year at most), oldest first.
async fn history_since(market: &Market, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<Vec<PricePoint>> {
    let symbol = Symbol::parse(BENCHMARK).ok()?;
    let listing = market.listing(&symbol).ok()?;
    let ranges = [ChartRange::Day, ChartRange::Week, ChartRange::Month, ChartRange::Year];
    let range = ranges.into_iter().find(|range| now - range.span_and_step().0 <= start).unwrap_or(ChartRange::Year);
    market.quotes.history(listing, range, now).await.ok()
}

/// The benchmark over a finished game: its starting cash in the fund from the start price to the
/// end price, through the prices between that the history still holds (`benchmark_line`).
/// Empty when either price is missing.
pub async fn line(conn: &mut PgConnection, market: &Market, game: &GameRow) -> Result<Vec<PricePoint>, sqlx::Error> {
    let (Some(start), Some(end)) = (start_price(conn, market, game).await?, game.benchmark_end_price) else {
        return Ok(Vec::new());
    };
    let between = history_since(market, game.starts_at, Utc::now()).await.unwrap_or_default();
    let (start, end) = (PriceAt { at: game.starts_at, price: start }, PriceAt { at: game.ends_at, price: end });
    Ok(thin(benchmark_line(Money::from_decimal(game.starting_cash), start, end, &between), CHART_POINTS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_benchmark_row_is_the_starting_cash_in_spy_from_start_to_end() {
        let row = of(dec!(10000), dec!(680), dec!(714));
        assert_eq!((row.value.to_usd(), row.total_return.to_string()), ("$10,500.00".to_owned(), "5.00".to_owned()));
        let down = of(dec!(10000), dec!(680), dec!(646));
        assert_eq!((down.value.to_usd(), down.total_return.signed()), ("$9,500.00".to_owned(), "−5.00%".to_owned()));
    }
}
