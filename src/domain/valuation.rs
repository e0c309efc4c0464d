//! What a portfolio is worth at current prices: per holding (market value, unrealized P&L,
//! weight, day change) and in total (value, invested, day change, total return), and how it is
//! allocated. Exact decimals.
//!
//! The day's change counts only what happened since the previous close: a holding bought today
//! changes by its price against the purchase, not against yesterday's close. With `s` shares now,
//! `n` net shares bought today for `c` net cash, price `p` and previous close `q`, a holding's
//! change is `s·p − (s − n)·q − c`.

use super::quote::Percent;
use super::Money;
use chrono::{DateTime, Utc};
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
    /// Shares bought minus shares sold since the previous close.
    pub net_shares_today: i64,
    /// Cash spent on buys minus cash received from sells since the previous close.
    pub net_spent_today: Decimal,
}

impl HoldingInput {
    fn market_value(&self) -> Decimal {
        self.price.amount() * Decimal::from(self.shares)
    }

    fn day_change(&self) -> Decimal {
        let shares_at_close = Decimal::from(self.shares - self.net_shares_today);
        self.market_value() - shares_at_close * self.previous_close.amount() - self.net_spent_today
    }
}

/// Cash plus every holding at its price.
pub fn total_value(cash: Money, inputs: &[HoldingInput]) -> Money {
    Money::from_decimal(cash.amount() + inputs.iter().map(HoldingInput::market_value).sum::<Decimal>())
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
    /// When the prices used were read.
    pub valued_at: DateTime<Utc>,
}

/// Values a portfolio. `inputs` may include symbols sold out today (zero shares): they count in
/// the day's change but are not holdings.
pub fn value(cash: Money, starting_cash: Money, inputs: Vec<HoldingInput>, valued_at: DateTime<Utc>) -> PortfolioValue {
    let invested: Decimal = inputs.iter().map(HoldingInput::market_value).sum();
    let total = cash.amount() + invested;
    let day_change: Decimal = inputs.iter().map(HoldingInput::day_change).sum();
    let mut holdings: Vec<HoldingValue> = inputs
        .into_iter()
        .filter(|h| h.shares > 0)
        .map(|h| {
            let value = h.market_value();
            let cost = h.average_price * Decimal::from(h.shares);
            HoldingValue {
                market_value: Money::from_decimal(value),
                unrealized_pnl: Money::from_decimal(value - cost),
                unrealized_percent: Percent::of(value - cost, cost),
                weight: Percent::of(value, total),
                day_change: Money::from_decimal(h.day_change()),
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
        valued_at,
    }
}

/// One slice of an allocation chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    pub label: String,
    pub value: Money,
    pub percent: Percent,
}

/// How many holdings the by-holding chart names before grouping the rest as "Other holdings".
pub const NAMED_HOLDINGS: usize = 6;

impl PortfolioValue {
    /// The portfolio split by holding (the largest [`NAMED_HOLDINGS`], the rest together) and cash.
    pub fn allocation_by_holding(&self) -> Vec<Slice> {
        let mut parts: Vec<(String, Decimal)> =
            self.holdings.iter().take(NAMED_HOLDINGS).map(|h| (h.symbol.clone(), h.market_value.amount())).collect();
        let rest: Decimal = self.holdings.iter().skip(NAMED_HOLDINGS).map(|h| h.market_value.amount()).sum();
        if self.holdings.len() > NAMED_HOLDINGS {
            parts.push(("Other holdings".to_owned(), rest));
        }
        self.slices(parts)
    }

    /// The portfolio split by sector, largest first, and cash.
    pub fn allocation_by_sector(&self) -> Vec<Slice> {
        let mut sectors: Vec<(String, Decimal)> = Vec::new();
        for holding in &self.holdings {
            match sectors.iter_mut().find(|(sector, _)| *sector == holding.sector) {
                Some((_, value)) => *value += holding.market_value.amount(),
                None => sectors.push((holding.sector.clone(), holding.market_value.amount())),
            }
        }
        sectors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.slices(sectors)
    }

    fn slices(&self, parts: Vec<(String, Decimal)>) -> Vec<Slice> {
        let total = self.total_value.amount();
        parts
            .into_iter()
            .chain(std::iter::once(("Cash".to_owned(), self.cash.amount())))
            .filter(|(_, value)| !value.is_zero())
            .map(|(label, value)| Slice {
                label,
                value: Money::from_decimal(value),
                percent: Percent::of(value, total),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::money;
    use rust_decimal_macros::dec;

    fn holding(symbol: &str, shares: i64, average: Decimal, price: &str, previous: &str) -> HoldingInput {
        HoldingInput {
            symbol: symbol.into(),
            name: symbol.into(),
            sector: "Tech".into(),
            shares,
            average_price: average,
            price: money(price),
            previous_close: money(previous),
            net_shares_today: 0,
            net_spent_today: Decimal::ZERO,
        }
    }

    #[test]
    fn values_holdings_and_totals_exactly() {
        let value = value(
            money("4000"),
            money("10000"),
            vec![holding("AAA", 10, dec!(100), "110", "100"), holding("BBB", 20, dec!(150), "140", "140")],
            Utc::now(),
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
        let value = value(money("10000"), money("10000"), vec![], Utc::now());
        assert_eq!((value.total_value, value.day_change_percent.signed()), (money("10000"), "0.00%".into()));
    }

    #[test]
    fn a_holding_bought_today_changes_against_its_purchase() {
        // Held 10 at yesterday's close of 100; bought 5 more today at 104 (520); price now 105.
        let mut held = holding("AAA", 15, dec!(101.3333), "105", "100");
        (held.net_shares_today, held.net_spent_today) = (5, dec!(520));
        // 10 × (105 − 100) + 5 × (105 − 104) = 55
        let value = value(money("480"), money("10000"), vec![held], Utc::now());
        assert_eq!((value.day_change, value.holdings[0].day_change), (money("55"), money("55")));
        // Against the value at the close: 10 × 100 plus the 1,000 of cash held before the buy.
        assert_eq!(value.day_change_percent.signed(), "+2.75%");
    }

    #[test]
    fn a_holding_sold_out_today_counts_in_the_change_but_is_not_held() {
        // Held 10 at a close of 100, sold all today at 98 (received 980): the day lost 20.
        let mut sold = holding("AAA", 0, dec!(90), "97", "100");
        (sold.net_shares_today, sold.net_spent_today) = (-10, dec!(-980));
        let value = value(money("1980"), money("2000"), vec![sold], Utc::now());
        assert!(value.holdings.is_empty());
        assert_eq!((value.day_change, value.total_value), (money("-20"), money("1980")));
    }

    #[test]
    fn allocation_names_the_largest_holdings_and_groups_the_rest() {
        let inputs = (1..=8).map(|i| holding(&format!("S{i}"), i, dec!(10), "10", "10")).collect();
        let value = value(money("640"), money("1000"), inputs, Utc::now());
        let slices = value.allocation_by_holding();
        let labels: Vec<&str> = slices.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["S8", "S7", "S6", "S5", "S4", "S3", "Other holdings", "Cash"]);
        assert_eq!((slices[6].value, slices[6].percent.to_string()), (money("30"), "3.00".into()));
        assert_eq!(slices[7].percent.to_string(), "64.00");
        let sectors = value.allocation_by_sector();
        assert_eq!(sectors.len(), 2);
        assert_eq!((sectors[0].label.as_str(), sectors[0].value), ("Tech", money("360")));
    }
}
