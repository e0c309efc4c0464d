//! Portfolio arithmetic: what a buy or a sell does to a position, and what cash can afford.
//!
//! Average cost is kept to [`AVERAGE_PRICE_SCALE`] decimals so that repeated buys do not drift;
//! cash amounts and realized P&L are [`Money`], rounded to cents by its one rule.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Money, Shares, Symbol};

/// Decimals kept for a holding's average cost per share (the `holdings.average_price` column).
pub const AVERAGE_PRICE_SCALE: u32 = 8;

/// Shares of one symbol held, and what they cost on average.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub shares: i64,
    pub average_price: Decimal,
}

/// One holding of a portfolio: which stock, and the position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub symbol: Symbol,
    pub position: Position,
}

/// What a portfolio is for: the learner's own (one active per user, reset at will), or a
/// player's in a game (one per game joined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortfolioKind {
    Personal,
    Game,
}

impl PortfolioKind {
    /// The `portfolios.kind` column's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PortfolioKind::Personal => "personal",
            PortfolioKind::Game => "game",
        }
    }
}

/// The kind a `portfolios.kind` value names; the column's CHECK allows no other.
impl TryFrom<String> for PortfolioKind {
    type Error = UnknownPortfolioKind;
    fn try_from(text: String) -> Result<PortfolioKind, UnknownPortfolioKind> {
        match text.as_str() {
            "personal" => Ok(PortfolioKind::Personal),
            "game" => Ok(PortfolioKind::Game),
            _ => Err(UnknownPortfolioKind(text)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a kind of portfolio")]
pub struct UnknownPortfolioKind(String);

/// What a sell did: the position left (if any), the cash it raised and the realized profit or loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaleOutcome {
    pub remaining: Option<Position>,
    pub proceeds: Money,
    pub realized_pnl: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    #[error("you hold {held} shares, so you cannot sell {wanted}")]
    NotEnoughShares { held: i64, wanted: i64 },
    #[error("that order is too large to compute")]
    Overflow,
}

impl Position {
    /// The position after buying `quantity` more at `price`: the weighted average of old and new.
    pub fn after_buy(current: Option<Position>, quantity: Shares, price: Money) -> Result<Position, PositionError> {
        let (held, average) = current.map_or((0, Decimal::ZERO), |p| (p.shares, p.average_price));
        let added = quantity.get();
        let shares = held.checked_add(added).ok_or(PositionError::Overflow)?;
        let old_cost = average.checked_mul(Decimal::from(held)).ok_or(PositionError::Overflow)?;
        let new_cost = price.amount().checked_mul(Decimal::from(added)).ok_or(PositionError::Overflow)?;
        let total = old_cost.checked_add(new_cost).ok_or(PositionError::Overflow)?;
        let average_price = (total / Decimal::from(shares))
            .round_dp_with_strategy(AVERAGE_PRICE_SCALE, RoundingStrategy::MidpointAwayFromZero);
        Ok(Position { shares, average_price })
    }

    /// Sells `quantity` at `price`. Average cost is unchanged by a sell; the difference between
    /// price and average cost, times the shares sold, is the realized P&L.
    pub fn sell(self, quantity: Shares, price: Money) -> Result<SaleOutcome, PositionError> {
        let sold = quantity.get();
        if sold > self.shares {
            return Err(PositionError::NotEnoughShares { held: self.shares, wanted: sold });
        }
        let proceeds = price.checked_times(sold).ok_or(PositionError::Overflow)?;
        let gain_per_share = price.amount() - self.average_price;
        let realized = gain_per_share.checked_mul(Decimal::from(sold)).ok_or(PositionError::Overflow)?;
        let left = self.shares - sold;
        Ok(SaleOutcome {
            remaining: (left > 0).then_some(Position { shares: left, average_price: self.average_price }),
            proceeds,
            realized_pnl: Money::from_decimal(realized),
        })
    }
}

/// How many whole shares a cash amount buys at a price, what they cost and what is left over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Affordable {
    pub shares: i64,
    pub cost: Money,
    pub leftover: Money,
}

pub fn affordable(cash: Money, price: Money) -> Affordable {
    let shares = cash.whole_units_at(price);
    let cost = price.checked_times(shares).unwrap_or(cash);
    let leftover = cash.checked_sub(cost).unwrap_or(Money::ZERO);
    Affordable { shares, cost, leftover }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::money;
    use rust_decimal_macros::dec;

    fn shares(count: i64) -> Shares {
        Shares::new(count).unwrap()
    }

    #[test]
    fn a_first_buy_costs_its_price() {
        let position = Position::after_buy(None, shares(10), money("189.50")).unwrap();
        assert_eq!(position, Position { shares: 10, average_price: dec!(189.50) });
    }

    #[test]
    fn later_buys_average_the_cost() {
        let first = Position::after_buy(None, shares(10), money("100")).unwrap();
        let second = Position::after_buy(Some(first), shares(5), money("130")).unwrap();
        assert_eq!(second.shares, 15);
        assert_eq!(second.average_price, dec!(110));
        let third = Position::after_buy(Some(second), shares(1), money("0.01")).unwrap();
        // 1650.01 / 16 = 103.125625 exactly; no float drift.
        assert_eq!(third.average_price, dec!(103.125625));
    }

    #[test]
    fn averages_keep_eight_decimals() {
        let first = Position::after_buy(None, shares(3), money("10")).unwrap();
        let second = Position::after_buy(Some(first), shares(1), money("10.01")).unwrap();
        assert_eq!(second.average_price, dec!(10.0025));
        let third = Position::after_buy(Some(second), shares(2), money("10")).unwrap();
        assert_eq!(third.average_price, dec!(10.00166667)); // 60.01 / 6, rounded at 8 places
    }

    #[test]
    fn a_sell_realizes_the_gain_over_average_cost() {
        let position = Position { shares: 10, average_price: dec!(189.50) };
        let outcome = position.sell(shares(3), money("195.10")).unwrap();
        assert_eq!(outcome.proceeds, money("585.30"));
        assert_eq!(outcome.realized_pnl, money("16.80"));
        assert_eq!(outcome.remaining, Some(Position { shares: 7, average_price: dec!(189.50) }));
    }

    #[test]
    fn a_losing_sell_of_everything_closes_the_position() {
        let position = Position { shares: 4, average_price: dec!(50) };
        let outcome = position.sell(shares(4), money("45.25")).unwrap();
        assert_eq!(outcome.realized_pnl, money("-19.00"));
        assert_eq!(outcome.remaining, None);
    }

    #[test]
    fn cannot_sell_more_than_held() {
        let position = Position { shares: 2, average_price: dec!(50) };
        assert_eq!(position.sell(shares(3), money("50")), Err(PositionError::NotEnoughShares { held: 2, wanted: 3 }));
    }

    #[test]
    fn cash_buys_whole_shares_with_change_left_over() {
        let result = affordable(money("10000"), money("189.50"));
        assert_eq!(result, Affordable { shares: 52, cost: money("9854.00"), leftover: money("146.00") });
        let nothing = affordable(money("100"), money("189.50"));
        assert_eq!(nothing, Affordable { shares: 0, cost: Money::ZERO, leftover: money("100") });
    }
}
