//! Market orders: what a buy or sell at a price does to cash and a position, and why an order
//! cannot execute, in words a learner understands. Pure, so the preview and the real execution
//! run the same rules.

use super::portfolio::{affordable, Position, PositionError};
use super::{Money, Shares, Side, Symbol};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What executing an order does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    pub price: Money,
    /// Cash paid for a buy, received for a sell.
    pub amount: Money,
    pub cash_after: Money,
    /// The position after the order; `None` when a sell closed it.
    pub position_after: Option<Position>,
    /// Profit or loss a sell locked in; `None` for buys.
    pub realized_pnl: Option<Money>,
}

/// An order that executed, as the trade path reports it: the ledger row it wrote. `replayed` is
/// true when a retry (the same idempotency key) found this earlier execution instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub trade_id: uuid::Uuid,
    pub symbol: Symbol,
    pub side: Side,
    pub quantity: Shares,
    pub price: Money,
    pub amount: Money,
    pub cash_after: Money,
    pub realized_pnl: Option<Money>,
    pub executed_at: DateTime<Utc>,
    pub replayed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum OrderRejection {
    #[error("{0} is not a symbol we list; search the Markets page to find one")]
    UnknownSymbol(String),
    #[error("{}", insufficient_cash(*quantity, *price, *needed, *available, *affordable))]
    InsufficientCash { quantity: i64, price: Money, needed: Money, available: Money, affordable: i64 },
    #[error("{}", insufficient_shares(symbol, *held, *wanted))]
    InsufficientShares { symbol: Symbol, held: i64, wanted: i64 },
    #[error("{}", market_closed(*next_open))]
    MarketClosed { next_open: Option<DateTime<Utc>> },
    #[error("that order is too large; try fewer shares")]
    TooLarge,
    /// Open orders hold back the cash this order needs; the sentence says how much is left
    /// (written by `buying_power`, which only the server runs: the browser's order preview
    /// never sees open orders, so their words stay out of its bundle).
    #[error("{0}")]
    CashReserved(String),
    /// Open sell orders hold back the shares this order would sell; the sentence says how many.
    #[error("{0}")]
    SharesReserved(String),
}

impl OrderRejection {
    /// Every [`OrderRejection::reason`], for counting rejections from zero.
    pub const REASONS: [&'static str; 7] = [
        "unknown_symbol",
        "insufficient_cash",
        "insufficient_shares",
        "market_closed",
        "too_large",
        "cash_reserved",
        "shares_reserved",
    ];

    /// Why, in one stable snake_case word (the `reason` label of the orders metric).
    pub fn reason(&self) -> &'static str {
        match self {
            OrderRejection::UnknownSymbol(_) => "unknown_symbol",
            OrderRejection::InsufficientCash { .. } => "insufficient_cash",
            OrderRejection::InsufficientShares { .. } => "insufficient_shares",
            OrderRejection::MarketClosed { .. } => "market_closed",
            OrderRejection::TooLarge => "too_large",
            OrderRejection::CashReserved(_) => "cash_reserved",
            OrderRejection::SharesReserved(_) => "shares_reserved",
        }
    }
}

fn insufficient_cash(quantity: i64, price: Money, needed: Money, available: Money, affordable: i64) -> String {
    let (bought, cost) = if quantity == 1 { ("1 share", "costs") } else { ("shares", "cost") };
    let bought = if quantity == 1 { bought.to_owned() } else { format!("{quantity} {bought}") };
    let enough = match affordable {
        0 => "not enough for a single share".to_owned(),
        1 => "enough for 1 share".to_owned(),
        n => format!("enough for {n} shares"),
    };
    format!(
        "not enough cash: {bought} at {} {cost} {}, and you have {} — {enough}",
        price.to_usd(),
        needed.to_usd(),
        available.to_usd()
    )
}

fn insufficient_shares(symbol: &Symbol, held: i64, wanted: i64) -> String {
    match held {
        0 => format!("you do not own any {symbol} shares, so there is nothing to sell"),
        1 => format!("you hold 1 share of {symbol}, so you cannot sell {wanted}"),
        _ => format!("you hold {held} shares of {symbol}, so you can sell at most {held}, not {wanted}"),
    }
}

fn market_closed(next_open: Option<DateTime<Utc>>) -> String {
    match next_open {
        Some(open) => format!(
            "the market is closed; it opens again {} (New York 9:30 a.m.). Market orders execute only while it is open",
            open.format("%A %-d %B at %H:%M UTC")
        ),
        None => "the market is closed right now".to_owned(),
    }
}

/// Executes a market order against `cash` and the current `position` at `price`, or says why not.
pub fn fill(
    symbol: &Symbol,
    cash: Money,
    position: Option<Position>,
    side: Side,
    quantity: Shares,
    price: Money,
) -> Result<Fill, OrderRejection> {
    match side {
        Side::Buy => {
            let amount = price.checked_times(quantity.get()).ok_or(OrderRejection::TooLarge)?;
            let Some(cash_after) = cash.checked_sub(amount).filter(|left| !left.is_negative()) else {
                return Err(OrderRejection::InsufficientCash {
                    quantity: quantity.get(),
                    price,
                    needed: amount,
                    available: cash,
                    affordable: affordable(cash, price).shares,
                });
            };
            let position = Position::after_buy(position, quantity, price).map_err(|_| OrderRejection::TooLarge)?;
            Ok(Fill { price, amount, cash_after, position_after: Some(position), realized_pnl: None })
        }
        Side::Sell => {
            let held = position.map_or(0, |p| p.shares);
            let not_enough =
                || OrderRejection::InsufficientShares { symbol: symbol.clone(), held, wanted: quantity.get() };
            let position = position.ok_or_else(not_enough)?;
            let sale = position.sell(quantity, price).map_err(|error| match error {
                PositionError::NotEnoughShares { .. } => not_enough(),
                PositionError::Overflow => OrderRejection::TooLarge,
            })?;
            let cash_after = cash.checked_add(sale.proceeds).ok_or(OrderRejection::TooLarge)?;
            Ok(Fill {
                price,
                amount: sale.proceeds,
                cash_after,
                position_after: sale.remaining,
                realized_pnl: Some(sale.realized_pnl),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{aapl, money, shares};
    use rust_decimal_macros::dec;

    #[test]
    fn a_buy_spends_cash_and_opens_a_position() {
        let fill = fill(&aapl(), money("1000"), None, Side::Buy, shares(3), money("189.99")).unwrap();
        assert_eq!(fill.amount, money("569.97"));
        assert_eq!(fill.cash_after, money("430.03"));
        assert_eq!(fill.position_after, Some(Position { shares: 3, average_price: dec!(189.99) }));
        assert_eq!(fill.realized_pnl, None);
    }

    #[test]
    fn buying_exactly_all_the_cash_is_allowed_and_one_cent_more_is_not() {
        let exact = fill(&aapl(), money("300"), None, Side::Buy, shares(3), money("100")).unwrap();
        assert!(exact.cash_after.is_zero());
        let rejection = fill(&aapl(), money("299.99"), None, Side::Buy, shares(3), money("100")).unwrap_err();
        assert_eq!(
            rejection,
            OrderRejection::InsufficientCash {
                quantity: 3,
                price: money("100"),
                needed: money("300"),
                available: money("299.99"),
                affordable: 2
            }
        );
        assert_eq!(
            rejection.to_string(),
            "not enough cash: 3 shares at $100.00 cost $300.00, and you have $299.99 — enough for 2 shares"
        );
    }

    #[test]
    fn a_sell_raises_cash_and_realizes_the_gain() {
        let held = Position { shares: 10, average_price: dec!(100) };
        let fill = fill(&aapl(), money("0"), Some(held), Side::Sell, shares(4), money("112.50")).unwrap();
        assert_eq!(fill.amount, money("450"));
        assert_eq!(fill.cash_after, money("450"));
        assert_eq!(fill.realized_pnl, Some(money("50")));
        assert_eq!(fill.position_after, Some(Position { shares: 6, average_price: dec!(100) }));
        let all = super::fill(&aapl(), money("0"), Some(held), Side::Sell, shares(10), money("90")).unwrap();
        assert_eq!((all.position_after, all.realized_pnl), (None, Some(money("-100"))));
    }

    #[test]
    fn selling_more_than_held_says_how_many_are_held() {
        let held = Position { shares: 2, average_price: dec!(50) };
        let error = fill(&aapl(), money("0"), Some(held), Side::Sell, shares(3), money("50")).unwrap_err();
        assert_eq!(error.to_string(), "you hold 2 shares of AAPL, so you can sell at most 2, not 3");
        let none = fill(&aapl(), money("0"), None, Side::Sell, shares(1), money("50")).unwrap_err();
        assert_eq!(none.to_string(), "you do not own any AAPL shares, so there is nothing to sell");
    }

    #[test]
    fn a_closed_market_names_the_next_open() {
        let open = DateTime::parse_from_rfc3339("2026-11-30T14:30:00Z").unwrap().with_timezone(&Utc);
        let message = OrderRejection::MarketClosed { next_open: Some(open) }.to_string();
        assert!(message.contains("Monday 30 November at 14:30 UTC"), "{message}");
    }

    #[test]
    fn the_cash_message_counts_one_share_in_the_singular() {
        let one = fill(&aapl(), money("150"), None, Side::Buy, shares(1), money("200")).unwrap_err();
        assert_eq!(
            one.to_string(),
            "not enough cash: 1 share at $200.00 costs $200.00, and you have $150.00 — not enough for a single share"
        );
        let two = fill(&aapl(), money("250"), None, Side::Buy, shares(2), money("200")).unwrap_err();
        assert!(two.to_string().ends_with("— enough for 1 share"), "{two}");
    }

    #[test]
    fn every_rejection_has_a_listed_reason() {
        let rejections = [
            OrderRejection::UnknownSymbol("ZZZ".into()),
            fill(&aapl(), money("1"), None, Side::Buy, shares(1), money("2")).unwrap_err(),
            fill(&aapl(), money("0"), None, Side::Sell, shares(1), money("2")).unwrap_err(),
            OrderRejection::MarketClosed { next_open: None },
            OrderRejection::TooLarge,
            OrderRejection::CashReserved("held".into()),
            OrderRejection::SharesReserved("held".into()),
        ];
        let reasons: Vec<&str> = rejections.iter().map(OrderRejection::reason).collect();
        assert_eq!(reasons, OrderRejection::REASONS);
    }
}
