//! Every game rule with worked examples: commissions to the cent, the position limit, the
//! minimum price, quick selling, the window, late joining and the order types.

use super::*;
use crate::domain::open_order::OrderKind;
use crate::domain::test_support::money;
use crate::domain::{Money, Shares, Side, Symbol};
use chrono::TimeZone;
use rust_decimal::Decimal;
use std::str::FromStr;

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0).unwrap()
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn window() -> Window {
    Window::new(at(7, 14, 30), at(18, 21, 0)).unwrap()
}

fn rules() -> GameRules {
    GameRules {
        starting_cash: money("10000"),
        commission: Commission::None,
        max_position_percent: Some(25),
        min_share_price: Some(money("5")),
        quick_sell_minutes: Some(30),
        allowed_kinds: vec!["limit".into()],
        late_joining: false,
        holdings_visible: true,
    }
}

fn buy<'a>(symbol: &'a Symbol, quantity: i64, price: &str) -> OrderFacts<'a> {
    OrderFacts {
        symbol,
        side: Side::Buy,
        kind: OrderKind::Market,
        quantity: Shares::new(quantity).unwrap(),
        price: money(price),
        portfolio_value: money("10000"),
        position_value: Money::ZERO,
        last_buy_at: None,
        now: at(8, 15, 0),
    }
}

#[test]
fn commissions_round_to_the_cent_half_away_from_zero() {
    let shares = |n| Shares::new(n).unwrap();
    assert_eq!(Commission::None.on(shares(10), money("1000")), Money::ZERO);
    assert_eq!(Commission::PerTrade(money("4.95")).on(shares(1), money("12")), money("4.95"));
    // 333 shares × $0.005 = $1.665 → $1.67; 100 × $0.005 = $0.50.
    assert_eq!(Commission::PerShare(decimal("0.005")).on(shares(333), money("9990")), money("1.67"));
    assert_eq!(Commission::PerShare(decimal("0.005")).on(shares(100), money("3000")), money("0.50"));
    // 0.25% of $1,234.50 = $3.08625 → $3.09; 0.1% of $4.95 = $0.00495 → $0.00.
    assert_eq!(Commission::Percent(decimal("0.25")).on(shares(10), money("1234.50")), money("3.09"));
    assert_eq!(Commission::Percent(decimal("0.1")).on(shares(1), money("4.95")), Money::ZERO);
    assert_eq!(Commission::Percent(decimal("0.25")).describe(), "0.25% of the amount");
    assert_eq!(Commission::PerShare(decimal("0.005")).describe(), "$0.005 a share");
}

#[test]
fn a_commission_must_be_one_a_game_can_be_won_with() {
    assert_eq!(Commission::PerTrade(money("-1")).check(), Err(CommissionError::Negative));
    assert!(matches!(Commission::Percent(decimal("5.01")).check(), Err(CommissionError::TooLarge(_))));
    assert!(Commission::Percent(decimal("5")).check().is_ok());
    assert!(Commission::PerShare(decimal("1.01")).check().is_err());
}

#[test]
fn the_window_says_when_trading_is_open_and_what_the_countdown_shows() {
    let window = window();
    assert_eq!(window.phase(at(7, 12, 30)), Phase::NotStarted { starts_in: Duration::hours(2) });
    assert_eq!(window.phase(at(7, 14, 30)), Phase::Running, "from the start itself");
    assert_eq!(window.phase(at(18, 21, 0)), Phase::Ended, "up to, not including, the end");
    assert_eq!(Window::new(at(8, 0, 0), at(8, 0, 0)), Err(WindowError::EndsBeforeStart));
    assert_eq!(Window::new(at(1, 0, 0), at(1, 0, 0) + Duration::days(367)), Err(WindowError::TooLong));
    let symbol = Symbol::parse("AAPL").unwrap();
    let early = OrderFacts { now: at(7, 14, 29), ..buy(&symbol, 1, "100") };
    assert_eq!(
        rules().check(&window, &early).unwrap_err().to_string(),
        "this game has not started yet: trading opens Dec 7 at 14:30 UTC"
    );
    let late = OrderFacts { now: at(18, 21, 0), ..buy(&symbol, 1, "100") };
    assert_eq!(rules().check(&window, &late), Err(Refusal::Ended));
}

#[test]
fn the_position_limit_counts_what_the_stock_would_be_after_the_buy() {
    let symbol = Symbol::parse("AAPL").unwrap();
    // $2,500 of $10,000 is exactly 25%: allowed; one more share is 25.1%.
    assert!(rules().check(&window(), &buy(&symbol, 25, "100")).is_ok());
    let refused = rules().check(&window(), &buy(&symbol, 26, "100")).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "this game's position limit is 25% of your portfolio in one stock: after this order AAPL would be 26%"
    );
    // Holding $2,000 already: $600 more makes 26%.
    let more = OrderFacts { position_value: money("2000"), ..buy(&symbol, 6, "100") };
    assert!(matches!(rules().check(&window(), &more), Err(Refusal::PositionLimit { .. })));
    // Sells are never limited by it.
    let sell = OrderFacts { side: Side::Sell, position_value: money("9000"), ..buy(&symbol, 90, "100") };
    assert!(rules().check(&window(), &sell).is_ok());
    let no_limit = GameRules { max_position_percent: None, ..rules() };
    assert!(no_limit.check(&window(), &buy(&symbol, 99, "100")).is_ok());
}

#[test]
fn a_buy_under_the_minimum_price_is_refused_and_a_sell_is_not() {
    let symbol = Symbol::parse("SIRI").unwrap();
    assert_eq!(
        rules().check(&window(), &buy(&symbol, 10, "4.99")).unwrap_err().to_string(),
        "this game's minimum share price is $5.00: SIRI is $4.99"
    );
    assert!(rules().check(&window(), &buy(&symbol, 10, "5.00")).is_ok());
    let sell = OrderFacts { side: Side::Sell, ..buy(&symbol, 10, "1.00") };
    assert!(rules().check(&window(), &sell).is_ok());
}

#[test]
fn shares_bought_wait_before_they_may_be_sold() {
    let symbol = Symbol::parse("AAPL").unwrap();
    let sell = |now| OrderFacts { side: Side::Sell, last_buy_at: Some(at(8, 15, 0)), now, ..buy(&symbol, 1, "100") };
    assert_eq!(
        rules().check(&window(), &sell(at(8, 15, 29))).unwrap_err().to_string(),
        "this game does not allow selling within 30 minutes of buying: you can sell AAPL from 15:30 UTC"
    );
    assert!(rules().check(&window(), &sell(at(8, 15, 30))).is_ok());
    let never_bought = OrderFacts { last_buy_at: None, ..sell(at(8, 15, 1)) };
    assert!(rules().check(&window(), &never_bought).is_ok());
}

#[test]
fn only_the_allowed_order_types_may_wait_and_a_market_order_always_may() {
    let symbol = Symbol::parse("AAPL").unwrap();
    let stop = OrderFacts { kind: OrderKind::Stop { stop: money("110") }, ..buy(&symbol, 1, "100") };
    assert_eq!(rules().check(&window(), &stop).unwrap_err().to_string(), "this game does not allow stop orders");
    let limit = OrderFacts { kind: OrderKind::Limit { limit: money("90") }, ..buy(&symbol, 1, "100") };
    assert!(rules().check(&window(), &limit).is_ok());
    let none = GameRules { allowed_kinds: Vec::new(), ..rules() };
    assert!(none.check(&window(), &buy(&symbol, 1, "100")).is_ok());
}

#[test]
fn late_joining_is_the_organisers_choice_and_nobody_joins_after_the_end() {
    let (window, strict) = (window(), rules());
    let open = GameRules { late_joining: true, ..rules() };
    assert!(strict.may_join(&window, at(7, 14, 29)).is_ok());
    assert_eq!(strict.may_join(&window, at(7, 14, 30)), Err(JoinRefusal::Started));
    assert!(open.may_join(&window, at(10, 9, 0)).is_ok());
    assert_eq!(open.may_join(&window, at(18, 21, 0)), Err(JoinRefusal::Ended));
}

#[test]
fn an_order_that_waits_is_checked_for_the_window_and_its_type_when_placed() {
    let (window, rules) = (window(), rules());
    let stop = OrderKind::Stop { stop: money("110") };
    assert_eq!(rules.check_placing(&window, stop, at(8, 15, 0)), Err(Refusal::KindNotAllowed("stop".into())));
    assert!(rules.check_placing(&window, OrderKind::Limit { limit: money("90") }, at(8, 15, 0)).is_ok());
    assert_eq!(rules.check_placing(&window, OrderKind::Market, at(18, 21, 0)), Err(Refusal::Ended));
}

#[test]
fn only_the_end_moves_once_a_game_runs_and_never_into_the_past_or_after_the_end() {
    let window = window();
    let running = at(10, 12, 0);
    let later = window.with_end(at(20, 21, 0), running).unwrap();
    assert_eq!((later.starts_at, later.ends_at), (window.starts_at, at(20, 21, 0)), "the start stays");
    let sooner = window.with_end(at(10, 12, 1), running).unwrap();
    assert_eq!(sooner.ends_at, at(10, 12, 1), "ending a game early is the organiser's choice");
    assert_eq!(window.with_end(running, running), Err(WindowError::EndInThePast));
    assert_eq!(window.with_end(at(7, 14, 0), at(7, 13, 0)), Err(WindowError::EndsBeforeStart));
    assert_eq!(window.with_end(at(7, 14, 30) + Duration::days(367), running), Err(WindowError::TooLong));
    assert_eq!(window.with_end(at(25, 0, 0), at(18, 21, 0)), Err(WindowError::Ended), "the end itself is too late");
}

#[test]
fn a_countdown_names_its_two_largest_units() {
    let cases = [
        (Duration::seconds(-5), "now"),
        (Duration::zero(), "now"),
        (Duration::seconds(20), "20 s"),
        (Duration::seconds(4 * 60 + 20), "4 min 20 s"),
        (Duration::seconds(3 * 3600 + 5 * 60 + 59), "3 h 5 min"),
        (Duration::seconds(86_400 + 3 * 3600 + 60), "1 day 3 h"),
        (Duration::days(12), "12 days 0 h"),
    ];
    for (left, words) in cases {
        assert_eq!(countdown(left), words, "{left:?}");
    }
}

#[test]
fn a_commission_crosses_the_wire_exactly() {
    let commissions = [
        Commission::None,
        Commission::PerTrade(money("4.95")),
        Commission::PerShare(decimal("0.005")),
        Commission::Percent(decimal("0.25")),
    ];
    for commission in commissions {
        let json = serde_json::to_string(&commission).unwrap();
        assert_eq!(serde_json::from_str::<Commission>(&json).unwrap(), commission, "{json}");
    }
    assert_eq!(serde_json::to_string(&Commission::PerShare(decimal("0.005"))).unwrap(), "\"per_share:0.005\"");
    assert!(serde_json::from_str::<Commission>("\"bribe:5\"").is_err());
}
