//! The coach's lessons about order types: the first time a learner places each kind of order
//! that waits, what it protects against and what it costs; and a market order placed far from
//! the last close, what a limit order would have let them decide. The server delivers them when
//! the order is placed or executes (`Rule::OrderTypes`, `Rule::FarFromClose`).

use super::{shares, stock_link, Advice, CoachSettings, Rule};
use crate::domain::open_order::{OrderKind, OrderTerms};
use crate::domain::quote::Percent;
use crate::domain::{Money, Side};

/// `order_types:limit`, `order_types:trailing_stop`: one lesson per kind, once ever.
pub fn order_types_key(kind: OrderKind) -> String {
    format!("order_types:{}", kind.as_str())
}

/// `far_from_close:AAPL`.
pub fn far_from_close_key(symbol: &str) -> String {
    format!("far_from_close:{symbol}")
}

/// The lesson for the learner's first order of this kind, just placed to wait holding back
/// `reserved_cash` (a buy) or its shares (a sell); `None` for a market order.
pub fn first_of_its_kind(terms: &OrderTerms, reserved_cash: Money) -> Option<Advice> {
    let symbol = terms.symbol.as_str();
    let holds = match terms.side {
        Side::Buy => format!(
            "While it waits it holds back {} of your cash, so that money cannot be spent twice.",
            reserved_cash.to_usd()
        ),
        Side::Sell => {
            format!("While it waits it holds back your {}, so they cannot be sold twice.", shares(terms.quantity.get()))
        }
    };
    let (title, idea) = match (terms.kind, terms.side) {
        (OrderKind::Market, _) => return None,
        (OrderKind::Limit { .. }, side) => (
            "Your first limit order",
            format!(
                "A limit order names the {} you accept, and it fills only at that price or better — it protects you \
                 from a price that moved while you were not looking, at the cost of perhaps never filling.",
                if side == Side::Buy { "most" } else { "least" }
            ),
        ),
        (OrderKind::Stop { .. }, Side::Sell) => (
            "Your first stop order",
            "A sell stop is a plan for a fall: once the price trades through your stop, it sells at the market, \
             which caps a loss — but in a sudden drop it fills at the next price, which can be below the stop."
                .to_owned(),
        ),
        (OrderKind::Stop { .. }, Side::Buy) => (
            "Your first stop order",
            "A buy stop waits for the price to rise through your stop and then buys at the market: traders use it \
             to act on a breakout, and it can fill above the stop when the price jumps."
                .to_owned(),
        ),
        (OrderKind::StopLimit { .. }, _) => (
            "Your first stop-limit order",
            "A stop-limit waits for your stop, then waits again as a limit order: it never fills at a worse price \
             than your limit, but when the price runs past the limit it may not fill at all."
                .to_owned(),
        ),
        (OrderKind::TrailingStop { trail }, _) => (
            "Your first trailing stop",
            format!(
                "A trailing stop keeps its stop {} behind the best price since you placed it and moves only in your \
                 favour, so it can lock in part of a gain without you watching the screen.",
                trail.describe()
            ),
        ),
    };
    Some(Advice {
        rule: Rule::OrderTypes,
        key: order_types_key(terms.kind),
        title: title.to_owned(),
        message: format!("You placed your first {} order, for {symbol}. {idea} {holds}", terms.kind.label()),
        link: "/orders".to_owned(),
    })
}

/// The lesson for a market order that executed at `price`, when that is at least
/// `settings.far_from_close_percent` away from the `previous_close`.
pub fn far_from_close(
    symbol: &str,
    side: Side,
    price: Money,
    previous_close: Money,
    settings: &CoachSettings,
) -> Option<Advice> {
    if previous_close.is_zero() || previous_close.is_negative() {
        return None;
    }
    let moved = Percent::of(price.amount() - previous_close.amount(), previous_close.amount());
    let distance = moved.value().abs().normalize();
    if distance < settings.far_from_close_percent {
        return None;
    }
    let direction = if moved.value().is_sign_positive() { "above" } else { "below" };
    let (verb, bound) = match side {
        Side::Buy => ("bought", "the most you will pay"),
        Side::Sell => ("sold", "the least you will accept"),
    };
    Some(Advice {
        rule: Rule::FarFromClose,
        key: far_from_close_key(symbol),
        title: format!("{symbol} was moving fast"),
        message: format!(
            "You {verb} {symbol} at {} with a market order, {distance}% {direction} the last close of {}. A market \
             order takes whatever the price is at that moment, and on a day of big moves that can be far from \
             what you saw a minute before. A limit order lets you name {bound} and waits for the price to come to you.",
            price.to_usd(),
            previous_close.to_usd(),
        ),
        link: stock_link(symbol),
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::open_order::{TimeInForce, Trail};
    use crate::domain::{Shares, Symbol};
    use rust_decimal::Decimal;

    fn terms(side: Side, kind: OrderKind) -> OrderTerms {
        OrderTerms {
            symbol: Symbol::parse("AAPL").unwrap(),
            side,
            quantity: Shares::new(5).unwrap(),
            kind,
            time_in_force: TimeInForce::Day,
        }
    }

    pub(crate) fn every_lesson() -> Vec<Advice> {
        let (price, stop) = (Money::from_cents(9500), Money::from_cents(9000));
        let kinds = [
            OrderKind::Limit { limit: price },
            OrderKind::Stop { stop },
            OrderKind::StopLimit { stop, limit: price },
            OrderKind::TrailingStop { trail: Trail::Percent(5) },
        ];
        let mut all: Vec<Advice> = [Side::Buy, Side::Sell]
            .into_iter()
            .flat_map(|side| kinds.map(|kind| first_of_its_kind(&terms(side, kind), Money::from_cents(47_500))))
            .flatten()
            .collect();
        all.extend(far_from_close(
            "AAPL",
            Side::Buy,
            Money::from_cents(10_840),
            Money::from_cents(10_400),
            &CoachSettings::default(),
        ));
        all.extend(far_from_close(
            "AAPL",
            Side::Sell,
            Money::from_cents(9_000),
            Money::from_cents(10_400),
            &CoachSettings::default(),
        ));
        all
    }

    #[test]
    fn each_kind_has_its_own_once_ever_lesson_and_a_market_order_has_none() {
        let lesson = first_of_its_kind(
            &terms(Side::Buy, OrderKind::Limit { limit: Money::from_cents(9500) }),
            Money::from_cents(47_500),
        )
        .unwrap();
        assert_eq!((lesson.key.as_str(), lesson.title.as_str()), ("order_types:limit", "Your first limit order"));
        assert!(lesson.message.contains("holds back $475.00 of your cash"), "{}", lesson.message);
        assert!(lesson.message.contains("names the most you accept"));
        assert_eq!(Rule::OrderTypes.cooldown(), None);
        assert_eq!(first_of_its_kind(&terms(Side::Buy, OrderKind::Market), Money::ZERO), None);
        let sell =
            first_of_its_kind(&terms(Side::Sell, OrderKind::Stop { stop: Money::from_cents(9000) }), Money::ZERO)
                .unwrap();
        assert!(sell.message.contains("caps a loss") && sell.message.contains("your 5 shares"), "{}", sell.message);
    }

    #[test]
    fn a_market_order_three_percent_or_more_from_the_close_explains_limit_orders() {
        let (close, settings) = (Money::from_cents(10_000), CoachSettings::default());
        let lesson = |side, cents| far_from_close("AAPL", side, Money::from_cents(cents), close, &settings);
        assert_eq!(lesson(Side::Buy, 10_299), None);
        let above = lesson(Side::Buy, 10_300).unwrap();
        assert!(
            above
                .message
                .starts_with("You bought AAPL at $103.00 with a market order, 3% above the last close of $100.00."),
            "{}",
            above.message
        );
        let below = lesson(Side::Sell, 9_000).unwrap();
        assert!(
            below.message.contains("10% below") && below.message.contains("the least you will accept"),
            "{}",
            below.message
        );
        assert_eq!(far_from_close("AAPL", Side::Buy, close, Money::ZERO, &settings), None);
        let wider = CoachSettings { far_from_close_percent: Decimal::from(20), ..settings.clone() };
        assert_eq!(far_from_close("AAPL", Side::Sell, Money::from_cents(9_000), close, &wider), None);
    }
}
