//! Property tests of the order and P&L rules against a simple exact model: cash in cents, and
//! per symbol the shares held and their total cost as an unrounded decimal. Random sequences of
//! buys and sells over a few symbols must execute or be rejected exactly when the model says,
//! leave the same cash and shares, and keep average cost and realized P&L within rounding of it.

use super::order::{fill, OrderRejection};
use super::portfolio::Position;
use super::{Money, Shares, Side, Symbol};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

const SYMBOLS: [&str; 3] = ["AAPL", "MSFT", "KO"];

#[derive(Clone, Debug)]
struct Order {
    symbol: usize,
    side: Side,
    quantity: i64,
    price_cents: i64,
}

fn orders() -> impl Strategy<Value = Vec<Order>> {
    let order = (0..SYMBOLS.len(), any::<bool>(), 1..=400_i64, 1..=250_000_i64).prop_map(
        |(symbol, buy, quantity, price_cents)| Order {
            symbol,
            side: if buy { Side::Buy } else { Side::Sell },
            quantity,
            price_cents,
        },
    );
    proptest::collection::vec(order, 1..60)
}

/// The model's holding: shares and what they cost in total, exactly.
#[derive(Clone, Copy, Default)]
struct Lot {
    shares: i64,
    cost: Decimal,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn orders_agree_with_the_exact_model(starting_cents in 1_i64..=500_000_000, orders in orders()) {
        let mut cash = Money::from_cents(starting_cents);
        let mut positions: HashMap<usize, Position> = HashMap::new();
        let (mut model_cash, mut model) = (Decimal::new(starting_cents, 2), HashMap::<usize, Lot>::new());
        let (mut realized, mut model_realized) = (Decimal::ZERO, Decimal::ZERO);
        let tolerance = Decimal::new(1, 6);

        for order in orders {
            let symbol = Symbol::parse(SYMBOLS[order.symbol]).unwrap();
            let price = Money::from_cents(order.price_cents);
            let amount = Decimal::new(order.price_cents, 2) * Decimal::from(order.quantity);
            let lot = model.entry(order.symbol).or_default();
            let result = fill(&symbol, cash, positions.get(&order.symbol).copied(), order.side,
                Shares::new(order.quantity).unwrap(), price);
            match (order.side, result) {
                (Side::Buy, Ok(filled)) => {
                    prop_assert!(amount <= model_cash, "bought {amount} with only {model_cash}");
                    prop_assert_eq!(filled.amount.amount(), amount);
                    model_cash -= amount;
                    lot.shares += order.quantity;
                    lot.cost += amount;
                    cash = filled.cash_after;
                    positions.insert(order.symbol, filled.position_after.unwrap());
                }
                (Side::Buy, Err(OrderRejection::InsufficientCash { available, affordable, .. })) => {
                    prop_assert!(amount > model_cash);
                    prop_assert_eq!(available.amount(), model_cash);
                    // "Enough for N shares" is the most that fits, exactly.
                    let cents = Decimal::new(order.price_cents, 2);
                    prop_assert!(cents * Decimal::from(affordable) <= model_cash);
                    prop_assert!(cents * Decimal::from(affordable + 1) > model_cash);
                }
                (Side::Sell, Ok(filled)) => {
                    prop_assert!(order.quantity <= lot.shares);
                    let sold_cost = lot.cost * Decimal::from(order.quantity) / Decimal::from(lot.shares);
                    let model_pnl = amount - sold_cost;
                    let pnl = filled.realized_pnl.unwrap().amount();
                    // Cents rounding, plus the average's 8-decimal rounding on every share sold.
                    let allowed = Decimal::new(5, 3) + tolerance * Decimal::from(order.quantity);
                    prop_assert!((pnl - model_pnl).abs() <= allowed, "P&L {pnl} vs exact {model_pnl}");
                    model_cash += amount;
                    model_realized += model_pnl;
                    realized += pnl;
                    lot.shares -= order.quantity;
                    lot.cost -= sold_cost;
                    cash = filled.cash_after;
                    match filled.position_after {
                        Some(position) => positions.insert(order.symbol, position),
                        None => positions.remove(&order.symbol),
                    };
                }
                (Side::Sell, Err(OrderRejection::InsufficientShares { held, wanted, .. })) => {
                    prop_assert!(order.quantity > lot.shares);
                    prop_assert_eq!((held, wanted), (lot.shares, order.quantity));
                }
                (side, other) => prop_assert!(false, "{side:?} {order:?} gave {other:?}"),
            }

            // After every order: cash to the cent, shares exactly, average cost within rounding.
            prop_assert_eq!(cash.amount(), model_cash);
            prop_assert!(!cash.is_negative());
            let lot = model[&order.symbol];
            match positions.get(&order.symbol) {
                None => prop_assert_eq!(lot.shares, 0),
                Some(position) => {
                    prop_assert_eq!(position.shares, lot.shares);
                    prop_assert!(position.shares > 0);
                    let exact_average = lot.cost / Decimal::from(lot.shares);
                    prop_assert!((position.average_price - exact_average).abs() <= tolerance,
                        "average {} vs exact {exact_average}", position.average_price);
                }
            }
        }
        // Nothing is created or lost: realized P&L over all sells matches the model's within
        // half a cent per sell plus the average's rounding.
        prop_assert!((realized - model_realized).abs() <= Decimal::new(1, 2) * Decimal::from(60));
    }
}
