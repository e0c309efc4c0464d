//! Buying power: what a portfolio can still promise once its open orders have held back their
//! share — cash for open buys, shares for open sells — so nothing is ever promised twice. Every
//! order, market or waiting, is checked against it before it executes or starts to wait.

use super::order::OrderRejection;
use super::portfolio::affordable;
use super::{Money, Shares, Side, Symbol};
use serde::{Deserialize, Serialize};

/// What a portfolio's open orders hold back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reserved {
    /// Cash held for open buys.
    pub cash: Money,
    /// Shares of the order's symbol held for open sells.
    pub shares: i64,
}

/// Checks an order of `quantity` at `per_share` (a market order's price, a waiting buy's worst
/// case) against what the portfolio has beyond its open orders' reservations: a buy against
/// its cash, a sell against its `held` shares. The learner is told what the open orders hold.
pub fn check(
    symbol: &Symbol,
    side: Side,
    quantity: Shares,
    per_share: Money,
    cash: Money,
    held: i64,
    reserved: Reserved,
) -> Result<(), OrderRejection> {
    match side {
        Side::Buy => {
            let needed = per_share.checked_times(quantity.get()).ok_or(OrderRejection::TooLarge)?;
            let available = cash.checked_sub(reserved.cash).filter(|left| !left.is_negative()).unwrap_or(Money::ZERO);
            match (needed <= available, reserved.cash.is_zero()) {
                (true, _) => Ok(()),
                (false, true) => Err(OrderRejection::InsufficientCash {
                    quantity: quantity.get(),
                    price: per_share,
                    needed,
                    available,
                    affordable: affordable(available, per_share).shares,
                }),
                (false, false) => Err(OrderRejection::CashReserved(format!(
                    "you have {} available after your open orders ({} is held for them), and this order needs {}; \
                     cancel an open order or trade less",
                    available.to_usd(),
                    reserved.cash.to_usd(),
                    needed.to_usd()
                ))),
            }
        }
        Side::Sell => {
            let free = (held - reserved.shares).max(0);
            match (quantity.get() <= free, reserved.shares == 0) {
                (true, _) => Ok(()),
                (false, true) => {
                    Err(OrderRejection::InsufficientShares { symbol: symbol.clone(), held, wanted: quantity.get() })
                }
                (false, false) => {
                    let are = if reserved.shares == 1 { "is" } else { "are" };
                    Err(OrderRejection::SharesReserved(format!(
                        "you hold {held} shares of {symbol}, but {} {are} held for your open sell orders, so you can \
                         sell at most {free}",
                        reserved.shares
                    )))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{aapl, money, shares};

    #[test]
    fn cash_held_for_open_buys_cannot_be_spent_again() {
        let reserved = Reserved { cash: money("1800"), shares: 0 };
        let cash = money("2000");
        assert_eq!(check(&aapl(), Side::Buy, shares(2), money("100"), cash, 0, reserved), Ok(()));
        let refused = check(&aapl(), Side::Buy, shares(1), money("200.01"), cash, 0, reserved).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "you have $200.00 available after your open orders ($1,800.00 is held for them), and this order needs \
             $200.01; cancel an open order or trade less"
        );
        let plain = check(&aapl(), Side::Buy, shares(3), money("1000"), cash, 0, Reserved::default()).unwrap_err();
        assert!(plain.to_string().starts_with("not enough cash: 3 shares at $1,000.00 cost $3,000.00"), "{plain}");
    }

    #[test]
    fn shares_held_for_open_sells_cannot_be_sold_again() {
        let reserved = Reserved { cash: Money::ZERO, shares: 6 };
        assert_eq!(check(&aapl(), Side::Sell, shares(4), Money::ZERO, Money::ZERO, 10, reserved), Ok(()));
        let refused = check(&aapl(), Side::Sell, shares(5), Money::ZERO, Money::ZERO, 10, reserved).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "you hold 10 shares of AAPL, but 6 are held for your open sell orders, so you can sell at most 4"
        );
        let none = check(&aapl(), Side::Sell, shares(1), Money::ZERO, Money::ZERO, 0, Reserved::default());
        assert_eq!(none.unwrap_err().reason(), "insufficient_shares");
    }
}
