//! What a portfolio is worth at current prices: per holding (market value, unrealized P&L,
//! weight, day change) and in total (value, invested, day change, total return). Exact decimals.

use super::quote::Percent;
use super::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A holding and the prices to value it at.
pub struct HoldingInput {
    pub symbol: String,
    pub name: String,
    pub sector: String,
    pub shares: i64,
    pub average_price: Decimal,
    pub price: Money,
    pub previous_close: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingValue {
    pub symbol: String,
    pub name: String,
    pub sector: String,
    pub shares: i64,
    pub average_cost: Money,
    pub last_price: Money,
    pub market_value: Money,
    pub unrealized_pnl: Money,
    pub unrealized_percent: Percent,
    /// Share of the whole portfolio (cash included).
    pub weight: Percent,
    pub day_change: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioValue {
    pub cash: Money,
    pub starting_cash: Money,
    /// Cash plus holdings at market value.
    pub total_value: Money,
    /// Holdings at market value.
    pub invested: Money,
    pub day_change: Money,
    pub day_change_percent: Percent,
    /// Total value against the starting cash.
    pub total_return: Money,
    pub total_return_percent: Percent,
    /// Largest market value first.
    pub holdings: Vec<HoldingValue>,
}

pub fn value(cash: Money, starting_cash: Money, inputs: Vec<HoldingInput>) -> PortfolioValue {
    let market_value = |h: &HoldingInput| h.price.amount() * Decimal::from(h.shares);
    let invested: Decimal = inputs.iter().map(market_value).sum();
    let total = cash.amount() + invested;
    let day_change: Decimal =
        inputs.iter().map(|h| (h.price.amount() - h.previous_close.amount()) * Decimal::from(h.shares)).sum();
    let mut holdings: Vec<HoldingValue> = inputs
        .into_iter()
        .map(|h| {
            let value = market_value(&h);
            let cost = h.average_price * Decimal::from(h.shares);
            HoldingValue {
                market_value: Money::from_decimal(value),
                unrealized_pnl: Money::from_decimal(value - cost),
                unrealized_percent: Percent::of(value - cost, cost),
                weight: Percent::of(value, total),
                day_change: Money::from_decimal(
                    (h.price.amount() - h.previous_close.amount()) * Decimal::from(h.shares),
                ),
                average_cost: Money::from_decimal(h.average_price),
                last_price: h.price,
                symbol: h.symbol,
                name: h.name,
                sector: h.sector,
                shares: h.shares,
            }
        })
        .collect();
    holdings
        .sort_by(|a, b| b.market_value.amount().cmp(&a.market_value.amount()).then_with(|| a.symbol.cmp(&b.symbol)));
    let total_return = total - starting_cash.amount();
    PortfolioValue {
        cash,
        starting_cash,
        total_value: Money::from_decimal(total),
        invested: Money::from_decimal(invested),
        day_change: Money::from_decimal(day_change),
        day_change_percent: Percent::of(day_change, total - day_change),
        total_return: Money::from_decimal(total_return),
        total_return_percent: Percent::of(total_return, starting_cash.amount()),
        holdings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn holding(symbol: &str, shares: i64, average: Decimal, price: &str, previous: &str) -> HoldingInput {
        HoldingInput {
            symbol: symbol.into(),
            name: symbol.into(),
            sector: "Tech".into(),
            shares,
            average_price: average,
            price: money(price),
            previous_close: money(previous),
        }
    }

    #[test]
    fn values_holdings_and_totals_exactly() {
        let value = value(
            money("4000"),
            money("10000"),
            vec![holding("AAA", 10, dec!(100), "110", "100"), holding("BBB", 20, dec!(150), "140", "140")],
        );
        assert_eq!(value.invested, money("3900"));
        assert_eq!(value.total_value, money("7900"));
        assert_eq!(value.total_return, money("-2100"));
        assert_eq!(value.total_return_percent.signed(), "−21.00%");
        assert_eq!(value.day_change, money("100"));
        assert_eq!(value.day_change_percent.signed(), "+1.28%"); // 100 / 7800
        let first = &value.holdings[0];
        assert_eq!((first.symbol.as_str(), first.market_value), ("BBB", money("2800")));
        assert_eq!(first.unrealized_pnl, money("-200"));
        assert_eq!(first.unrealized_percent.signed(), "−6.67%");
        assert_eq!(first.weight.to_string(), "35.44");
        assert_eq!(value.holdings[1].unrealized_percent.signed(), "+10.00%");
    }

    #[test]
    fn an_all_cash_portfolio_has_no_change() {
        let value = value(money("10000"), money("10000"), vec![]);
        assert_eq!((value.total_value, value.day_change_percent.signed()), (money("10000"), "0.00%".into()));
    }
}
