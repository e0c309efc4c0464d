//! The rules of orders that wait: worked examples (the ones docs/ORDERS.md shows), then property
//! tests against a simple model in whole cents — random price paths must fill each order type at
//! the first price the model says, at that price, and never cost more than was reserved.

use super::*;
use crate::domain::test_support::money;
use proptest::prelude::*;

fn cents(n: i64) -> Money {
    Money::from_cents(n)
}

fn terms(side: Side, quantity: i64, kind: OrderKind) -> OrderTerms {
    OrderTerms {
        symbol: Symbol::parse("AAPL").unwrap(),
        side,
        quantity: Shares::new(quantity).unwrap(),
        kind,
        time_in_force: TimeInForce::Gtc,
    }
}

/// Feeds `prices` to the order placed at `placed_at`; the index and decision of the fill.
fn run(order: &OrderTerms, placed_at: Money, prices: &[Money]) -> Option<(usize, Money, Because)> {
    let mut watch = order.first_watch(placed_at);
    for (i, price) in prices.iter().enumerate() {
        match order.on_price(watch, *price) {
            Decision::Wait(next) => watch = next,
            Decision::Fill { price, because } => return Some((i, price, because)),
        }
    }
    None
}

#[test]
fn a_buy_limit_waits_above_its_limit_and_fills_at_the_price_at_or_below_it() {
    let buy = terms(Side::Buy, 5, OrderKind::Limit { limit: money("180") });
    let path = [money("185"), money("180.01"), money("179.42")];
    assert_eq!(run(&buy, money("186"), &path), Some((2, money("179.42"), Because::ReachedLimit)));
    // A gap through the limit fills at the price, not the limit: better for the buyer.
    assert_eq!(run(&buy, money("186"), &[money("170")]), Some((0, money("170"), Because::ReachedLimit)));
    assert_eq!(run(&buy, money("186"), &[money("180")]).map(|f| f.1), Some(money("180")));
    let sell = terms(Side::Sell, 5, OrderKind::Limit { limit: money("200") });
    assert_eq!(run(&sell, money("190"), &[money("199.99"), money("203")]).map(|f| (f.0, f.1)), Some((1, money("203"))));
}

#[test]
fn a_stop_fills_at_the_market_once_the_price_trades_through_it() {
    let sell = terms(Side::Sell, 10, OrderKind::Stop { stop: money("170") });
    assert_eq!(run(&sell, money("180"), &[money("170.01")]), None);
    let stop = Because::HitStop { stop: money("170") };
    assert_eq!(run(&sell, money("180"), &[money("175"), money("170")]), Some((1, money("170"), stop)));
    // The open gaps down through the stop: it fills where the price is.
    assert_eq!(run(&sell, money("180"), &[money("160.50")]), Some((0, money("160.50"), stop)));
    let buy = terms(Side::Buy, 10, OrderKind::Stop { stop: money("190") });
    assert_eq!(run(&buy, money("180"), &[money("189"), money("191")]).map(|f| (f.0, f.1)), Some((1, money("191"))));
}

#[test]
fn a_stop_limit_triggers_at_the_stop_then_waits_for_its_limit() {
    let sell = terms(Side::Sell, 10, OrderKind::StopLimit { stop: money("95"), limit: money("94") });
    let mut watch = sell.first_watch(money("100"));
    // A gap through both: triggered, but 93 is below the limit of 94 — it waits, as a limit.
    match sell.on_price(watch, money("93")) {
        Decision::Wait(next) => {
            assert!(next.triggered);
            watch = next;
        }
        fill => panic!("filled below the limit: {fill:?}"),
    }
    // Back above the stop, the trigger is remembered: 94.50 meets the limit and fills.
    let filled = sell.on_price(watch, money("94.50"));
    assert_eq!(filled, Decision::Fill { price: money("94.50"), because: Because::HitStop { stop: money("95") } });
    assert_eq!(sell.on_price(sell.first_watch(money("100")), money("96")), Decision::Wait(Watch::default()));
}

#[test]
fn a_trailing_stop_follows_the_high_water_mark_of_a_sell_and_the_low_of_a_buy() {
    let sell = terms(Side::Sell, 3, OrderKind::TrailingStop { trail: Trail::Dollars(money("5")) });
    // Placed at 100 (stop 95); the price rises to 110 (stop 105), and 104.99 is through it.
    let path = [money("96"), money("110"), money("105.01"), money("104.99")];
    let stop = Because::HitStop { stop: money("105") };
    assert_eq!(run(&sell, money("100"), &path), Some((3, money("104.99"), stop)));

    let percent = terms(Side::Sell, 3, OrderKind::TrailingStop { trail: Trail::Percent(10) });
    let path = [money("120"), money("108.01"), money("108")];
    assert_eq!(run(&percent, money("100"), &path).map(|f| (f.0, f.1)), Some((2, money("108"))));

    let buy = terms(Side::Buy, 3, OrderKind::TrailingStop { trail: Trail::Dollars(money("2")) });
    // Placed at 50 (stop 52); it falls to 40 (stop 42) and 42 is through it.
    let path = [money("51.99"), money("40"), money("41.99"), money("42")];
    assert_eq!(run(&buy, money("50"), &path).map(|f| (f.0, f.1)), Some((3, money("42"))));
}

#[test]
fn a_percent_trail_rounds_its_stop_to_the_learners_side() {
    assert_eq!(Trail::Percent(3).stop_from(money("33.33"), Side::Sell), money("32.33"));
    assert_eq!(Trail::Percent(3).stop_from(money("33.33"), Side::Buy), money("34.33"));
    assert_eq!(Trail::Percent(7).stop_from(money("10.01"), Side::Sell), money("9.30"));
    assert_eq!(Trail::Percent(7).stop_from(money("10.01"), Side::Buy), money("10.72"));
    assert_eq!(Trail::Dollars(money("50")).stop_from(money("20"), Side::Sell), Money::ZERO);
}

#[test]
fn a_buy_reserves_its_worst_case_and_a_sell_reserves_no_cash() {
    let reserve = |kind, side| terms(side, 10, kind).reserved_cash(Watch::default()).unwrap();
    assert_eq!(reserve(OrderKind::Limit { limit: money("180") }, Side::Buy), money("1800"));
    assert_eq!(reserve(OrderKind::Stop { stop: money("100") }, Side::Buy), money("1050"));
    assert_eq!(reserve(OrderKind::StopLimit { stop: money("100"), limit: money("102") }, Side::Buy), money("1020"));
    assert_eq!(reserve(OrderKind::Stop { stop: money("100") }, Side::Sell), Money::ZERO);
    let trailing = terms(Side::Buy, 2, OrderKind::TrailingStop { trail: Trail::Dollars(money("5")) });
    let watch = trailing.first_watch(money("100"));
    assert_eq!(trailing.reserved_cash(watch).unwrap(), money("220.50"), "2 × (105.00 + 5%)");
    let most = terms(Side::Buy, 1_000_000, OrderKind::Limit { limit: money("999999999999") });
    let reserved = most.reserved_cash(Watch::default()).unwrap();
    assert_eq!(reserved.amount(), Decimal::from(999_999_999_999_000_000_i64), "exact at the largest order");
}

#[test]
fn terms_that_cannot_wait_are_refused_in_words() {
    let price = money("100");
    let check = |side, kind| terms(side, 1, kind).check(price);
    assert_eq!(check(Side::Buy, OrderKind::Limit { limit: Money::ZERO }), Err(TermsError::NotPositive));
    let under = check(Side::Buy, OrderKind::Stop { stop: money("99") }).unwrap_err();
    assert_eq!(
        under.to_string(),
        "a buy stop must be above the current price of $100.00; a market order does this now"
    );
    assert!(check(Side::Sell, OrderKind::Stop { stop: money("100") }).is_err(), "a sell stop at the price");
    assert!(check(Side::Sell, OrderKind::Stop { stop: money("99.99") }).is_ok());
    assert_eq!(check(Side::Sell, OrderKind::TrailingStop { trail: Trail::Percent(0) }), Err(TermsError::TrailPercent));
    assert_eq!(check(Side::Sell, OrderKind::TrailingStop { trail: Trail::Percent(51) }), Err(TermsError::TrailPercent));
    assert!(check(Side::Sell, OrderKind::TrailingStop { trail: Trail::Percent(50) }).is_ok());
    // A limit on the near side of the price is allowed: it fills at the next price.
    assert!(check(Side::Buy, OrderKind::Limit { limit: money("150") }).is_ok());
}

#[test]
fn a_day_order_ends_at_the_close_and_a_gtc_order_after_ninety_days() {
    let placed = DateTime::parse_from_rfc3339("2026-12-03T15:00:00Z").unwrap().with_timezone(&Utc);
    let close = DateTime::parse_from_rfc3339("2026-12-03T21:00:00Z").unwrap().with_timezone(&Utc);
    let mut order = terms(Side::Buy, 1, OrderKind::Limit { limit: money("1") });
    assert_eq!(order.expires_at(placed, close), placed + Duration::days(90));
    order.time_in_force = TimeInForce::Day;
    assert_eq!(order.expires_at(placed, close), close);
}

#[test]
fn the_preview_says_in_one_sentence_what_will_happen() {
    let preview = |side, quantity, kind| terms(side, quantity, kind).preview(Watch::default());
    assert_eq!(
        preview(Side::Sell, 10, OrderKind::Stop { stop: money("170") }),
        "If AAPL falls to $170.00 or below, sell 10 shares at the market price."
    );
    assert_eq!(
        preview(Side::Buy, 5, OrderKind::Limit { limit: money("180") }),
        "If AAPL falls to $180.00 or below, buy 5 shares at that price or better."
    );
    assert_eq!(
        preview(Side::Buy, 1, OrderKind::StopLimit { stop: money("190"), limit: money("192") }),
        "If AAPL rises to $190.00 or above, buy 1 share at $192.00 or better."
    );
    assert_eq!(preview(Side::Buy, 2, OrderKind::Market), "Buy 2 shares of AAPL now, at the market price.");
    let trailing = terms(Side::Sell, 3, OrderKind::TrailingStop { trail: Trail::Percent(5) });
    assert_eq!(
        trailing.preview(trailing.first_watch(money("200"))),
        "If AAPL falls to 5% below its highest price since now (today that is $190.00), sell 3 shares at the market price."
    );
}

#[test]
fn a_fill_says_why_it_filled_at_that_price() {
    let buy = terms(Side::Buy, 5, OrderKind::Limit { limit: money("180") });
    assert_eq!(
        buy.fill_reason(money("179.42"), Because::ReachedLimit),
        "Your limit buy of 5 AAPL at $180.00 filled at $179.42 because the price fell to $179.42."
    );
    let stop = terms(Side::Sell, 10, OrderKind::Stop { stop: money("170") });
    assert_eq!(
        stop.fill_reason(money("165.10"), Because::HitStop { stop: money("170") }),
        "Your stop sell of 10 AAPL at $170.00 filled at $165.10 because the price fell to $165.10, through the stop at $170.00."
    );
}

/// The model: each type's condition over the whole path so far, in integer cents.
fn model_fill(side: Side, kind: ModelKind, placed_at: i64, path: &[i64]) -> Option<usize> {
    let buy = side == Side::Buy;
    let reaches = |p: i64, limit: i64| if buy { p <= limit } else { p >= limit };
    let through = |p: i64, stop: i64| if buy { p >= stop } else { p <= stop };
    match kind {
        ModelKind::Limit(limit) => path.iter().position(|&p| reaches(p, limit)),
        ModelKind::Stop(stop) => path.iter().position(|&p| through(p, stop)),
        ModelKind::StopLimit(stop, limit) => {
            let triggered = path.iter().position(|&p| through(p, stop))?;
            (triggered..path.len()).find(|&i| reaches(path[i], limit))
        }
        ModelKind::TrailDollars(trail) => (0..path.len()).find(|&i| {
            let seen = path[..i].iter().copied().chain([placed_at]);
            if buy {
                path[i] >= seen.min().unwrap_or(placed_at) + trail
            } else {
                path[i] <= seen.max().unwrap_or(placed_at) - trail
            }
        }),
        ModelKind::TrailPercent(percent) => (0..path.len()).find(|&i| {
            let seen = path[..i].iter().copied().chain([placed_at]);
            if buy {
                let low = seen.min().unwrap_or(placed_at);
                path[i] >= (low * (100 + percent) + 99) / 100
            } else {
                let high = seen.max().unwrap_or(placed_at);
                path[i] <= high * (100 - percent) / 100
            }
        }),
    }
}

#[derive(Clone, Copy, Debug)]
enum ModelKind {
    Limit(i64),
    Stop(i64),
    StopLimit(i64, i64),
    TrailDollars(i64),
    TrailPercent(i64),
}

fn kinds() -> impl Strategy<Value = ModelKind> {
    prop_oneof![
        (1..20_000_i64).prop_map(ModelKind::Limit),
        (1..20_000_i64).prop_map(ModelKind::Stop),
        ((1..20_000_i64), (1..20_000_i64)).prop_map(|(stop, limit)| ModelKind::StopLimit(stop, limit)),
        (1..3_000_i64).prop_map(ModelKind::TrailDollars),
        (1..=50_i64).prop_map(ModelKind::TrailPercent),
    ]
}

fn order_of(side: Side, kind: ModelKind) -> OrderTerms {
    let kind = match kind {
        ModelKind::Limit(limit) => OrderKind::Limit { limit: cents(limit) },
        ModelKind::Stop(stop) => OrderKind::Stop { stop: cents(stop) },
        ModelKind::StopLimit(stop, limit) => OrderKind::StopLimit { stop: cents(stop), limit: cents(limit) },
        ModelKind::TrailDollars(trail) => OrderKind::TrailingStop { trail: Trail::Dollars(cents(trail)) },
        ModelKind::TrailPercent(percent) => {
            OrderKind::TrailingStop { trail: Trail::Percent(u32::try_from(percent).unwrap()) }
        }
    };
    terms(side, 7, kind)
}

proptest! {
    #[test]
    fn every_order_fills_exactly_when_and_where_the_model_says(
        buy in any::<bool>(),
        kind in kinds(),
        placed_at in 1..20_000_i64,
        path in proptest::collection::vec(1..20_000_i64, 0..40),
    ) {
        let side = if buy { Side::Buy } else { Side::Sell };
        let order = order_of(side, kind);
        let prices: Vec<Money> = path.iter().map(|&p| cents(p)).collect();
        let filled = run(&order, cents(placed_at), &prices);
        let expected = model_fill(side, kind, placed_at, &path);
        prop_assert_eq!(filled.map(|f| f.0), expected);
        if let Some((i, price, _)) = filled {
            prop_assert_eq!(price, prices[i], "every fill is at the price of its tick");
            if let ModelKind::Limit(limit) | ModelKind::StopLimit(_, limit) = kind {
                let better = if buy { price <= cents(limit) } else { price >= cents(limit) };
                prop_assert!(better, "a limit fills at its limit or better");
            }
        }
    }

    #[test]
    fn a_limit_buy_never_costs_more_than_it_reserved_and_a_stop_within_its_margin(
        kind in kinds(),
        placed_at in 1..20_000_i64,
        path in proptest::collection::vec(1..20_000_i64, 0..40),
    ) {
        let order = order_of(Side::Buy, kind);
        let prices: Vec<Money> = path.iter().map(|&p| cents(p)).collect();
        let reserved = order.reserved_cash(order.first_watch(cents(placed_at))).unwrap();
        if let Some((_, price, because)) = run(&order, cents(placed_at), &prices) {
            let cost = price.checked_times(order.quantity.get()).unwrap();
            match (kind, because) {
                (ModelKind::Limit(_) | ModelKind::StopLimit(..), _) => prop_assert!(cost <= reserved),
                (_, Because::HitStop { stop }) => {
                    // A stop's reservation covers a fill up to 5% past the stop it hit (a trailing
                    // buy's stop only falls, so its first one is the worst).
                    let within = price.amount() * Decimal::ONE_HUNDRED
                        <= stop.amount() * Decimal::from(100 + STOP_RESERVE_PERCENT);
                    let stops = matches!(kind, ModelKind::Stop(_) | ModelKind::TrailDollars(_) | ModelKind::TrailPercent(_));
                    if within && stops {
                        prop_assert!(cost <= reserved);
                    }
                }
                _ => {}
            }
        }
    }
}
