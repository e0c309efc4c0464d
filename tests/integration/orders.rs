//! Orders that wait, against a real PostgreSQL: placing one holds back its cash or shares from
//! every other order, market or waiting, so nothing is promised twice; cancelling gives it back,
//! once; the matcher fills each exactly when its rule says, at the price, exactly once even with
//! two instances and a cancel racing. Placed through the service here; `order_form` goes
//! through the HTTP endpoints.

use crate::auth::viewer;
use crate::harness::TestApp;
use crate::trading::{executed, learner, order, portfolio, rejected};
use axum::extract::FromRef;
use papertrade::domain::open_order::{OrderKind, OrderTerms, TimeInForce};
use papertrade::domain::{Money, Shares, Side, Symbol};
use papertrade::server::orders::{self, matcher, repo::OrderRow, OpenOrderTicket};
use papertrade::server::portfolio::owned_in;
use papertrade::server::trading::Trading;
use papertrade::wire::AppError;
use uuid::Uuid;

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn ticket(side: Side, quantity: i64, kind: OrderKind) -> OpenOrderTicket {
    OpenOrderTicket {
        terms: OrderTerms {
            symbol: Symbol::parse("AAPL").unwrap(),
            side,
            quantity: Shares::new(quantity).unwrap(),
            kind,
            time_in_force: TimeInForce::Gtc,
        },
        idempotency_key: Uuid::new_v4(),
    }
}

/// Places `ticket` for the learner signed in on `client`.
async fn place(app: &TestApp, client: &reqwest::Client, ticket: &OpenOrderTicket) -> Result<OrderRow, AppError> {
    let user = viewer(app, client).await.expect("signed in").id;
    let portfolio = owned_in(&app.pool, user, None).await?;
    orders::place(&app.pool, &app.state.market, user, portfolio, ticket).await
}

async fn cancel(app: &TestApp, client: &reqwest::Client, id: Uuid) -> Result<OrderRow, AppError> {
    let user = viewer(app, client).await.expect("signed in").id;
    orders::cancel(&app.pool, owned_in(&app.pool, user, None).await?, id).await
}

#[tokio::test]
async fn an_open_buy_holds_back_its_worst_case_from_market_orders_and_other_open_orders() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    // A limit buy of 50 at $180 (above the price: it fills at the next price) holds $9,000.
    let open = place(&app, &ada, &ticket(Side::Buy, 50, OrderKind::Limit { limit: money("180") })).await.unwrap();
    assert_eq!((open.state.as_str(), open.reserved_cash.to_string().as_str()), ("open", "9000.00"));

    let refused = rejected(order(&app, &ada, "AAPL", "buy", "11").await).await;
    assert!(
        refused.to_string().contains("You have $1,000.00 available after your open orders ($9,000.00 is held"),
        "{refused}"
    );
    let another = place(&app, &ada, &ticket(Side::Buy, 2, OrderKind::Stop { stop: money("500") })).await.unwrap_err();
    assert!(another.to_string().contains("this order needs $1,050.00"), "2 × ($500 + 5%): {another}");

    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    assert_eq!(portfolio(&app, &ada).await.cash, money("9000"), "the free $1,000 is spent; the rest is held");
    let none_left = place(&app, &ada, &ticket(Side::Buy, 1, OrderKind::Limit { limit: money("1") })).await;
    assert!(matches!(none_left, Err(AppError::InvalidField { .. })), "{none_left:?}");
}

#[tokio::test]
async fn an_open_sell_holds_back_its_shares() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    place(&app, &ada, &ticket(Side::Sell, 6, OrderKind::Stop { stop: money("90") })).await.unwrap();

    let refused = rejected(order(&app, &ada, "AAPL", "sell", "5").await).await;
    assert_eq!(
        refused.to_string(),
        "You hold 10 shares of AAPL, but 6 are held for your open sell orders, so you can sell at most 4"
    );
    let twice = place(&app, &ada, &ticket(Side::Sell, 5, OrderKind::Limit { limit: money("120") })).await.unwrap_err();
    assert!(twice.to_string().contains("at most 4"), "{twice}");
    executed(order(&app, &ada, "AAPL", "sell", "4").await).await;
    let unheld = place(&app, &ada, &ticket(Side::Sell, 1, OrderKind::Limit { limit: money("120") })).await;
    assert!(unheld.unwrap_err().to_string().contains("at most 0"));
}

#[tokio::test]
async fn a_cancel_gives_the_reservation_back_once() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let open = place(&app, &ada, &ticket(Side::Buy, 100, OrderKind::Limit { limit: money("99") })).await.unwrap();
    rejected(order(&app, &ada, "AAPL", "buy", "2").await).await;

    let cancelled = cancel(&app, &ada, open.id).await.unwrap();
    assert_eq!(cancelled.state, "cancelled");
    assert!(cancelled.closed_at.is_some());
    executed(order(&app, &ada, "AAPL", "buy", "2").await).await;
    let again = cancel(&app, &ada, open.id).await.unwrap_err();
    assert_eq!(again, AppError::Conflict("that order is cancelled already; it cannot be cancelled".into()));

    // Someone else's order is not there to cancel.
    let grace = learner(&app, "grace").await;
    assert_eq!(cancel(&app, &grace, open.id).await.unwrap_err(), AppError::NotFound("that order".into()));
}

#[tokio::test]
async fn a_retried_placement_gets_the_first_order_and_holds_back_once() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let once = ticket(Side::Buy, 40, OrderKind::Limit { limit: money("100") });
    let first = place(&app, &ada, &once).await.unwrap();
    let retry = place(&app, &ada, &once).await.unwrap();
    assert_eq!(first.id, retry.id);
    let open: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders WHERE state = 'open'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(open, 1);
}

#[tokio::test]
async fn terms_that_cannot_wait_are_refused_before_anything_is_stored() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let under = place(&app, &ada, &ticket(Side::Buy, 1, OrderKind::Stop { stop: money("99") })).await.unwrap_err();
    assert_eq!(
        under,
        AppError::Invalid("A buy stop must be above the current price of $100.00; a market order does this now".into())
    );
    let unknown = ticket(Side::Buy, 1, OrderKind::Limit { limit: money("1") });
    let unknown =
        OpenOrderTicket { terms: OrderTerms { symbol: Symbol::parse("ZZZZ").unwrap(), ..unknown.terms }, ..unknown };
    assert!(
        matches!(place(&app, &ada, &unknown).await, Err(AppError::InvalidField { ref field, .. }) if field == "symbol")
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, 0);
}

/// Fifty placements at once, each holding back $1,000 of $10,000: ten are placed, forty refused,
/// and the reservations never exceed the cash.
#[tokio::test]
async fn concurrent_placements_never_promise_the_cash_twice() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let tickets: Vec<OpenOrderTicket> =
        (0..50).map(|_| ticket(Side::Buy, 10, OrderKind::Limit { limit: money("100") })).collect();
    let placed = futures_util::future::join_all(tickets.iter().map(|ticket| place(&app, &ada, ticket))).await;
    let accepted = placed.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(accepted, 10, "{:?}", placed.iter().filter_map(|o| o.as_ref().err()).collect::<Vec<_>>());
    let held: rust_decimal::Decimal = sqlx::query_scalar("SELECT sum(reserved_cash) FROM orders WHERE state = 'open'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(held.to_string(), "10000.00");
}

/// One matcher round of `app`'s instance, now.
pub async fn match_round(app: &TestApp) -> matcher::Round {
    let trading = Trading::from_ref(&app.state);
    matcher::round(&app.pool, &app.state.market, &trading, chrono::Utc::now()).await.unwrap()
}

async fn order_row(app: &TestApp, id: Uuid) -> OrderRow {
    let mut conn = app.pool.acquire().await.unwrap();
    let portfolio: Uuid = sqlx::query_scalar("SELECT portfolio_id FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    orders::repo::by_id(&mut conn, portfolio, id).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_limit_buy_fills_when_the_price_falls_to_it_and_says_why() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let ada = learner(&app, "ada").await;
    let open = place(&app, &ada, &ticket(Side::Buy, 5, OrderKind::Limit { limit: money("95") })).await.unwrap();
    assert_eq!(match_round(&app).await.filled, 0, "100 is above the limit");

    dial.set("94.50");
    assert_eq!(match_round(&app).await.filled, 1);
    let filled = order_row(&app, open.id).await;
    assert_eq!(filled.state, "filled");
    assert_eq!(
        filled.state_reason.as_deref(),
        Some("Your limit buy of 5 AAPL at $95.00 filled at $94.50 because the price fell to $94.50.")
    );
    let (price, order_id): (rust_decimal::Decimal, Option<Uuid>) =
        sqlx::query_as("SELECT price, order_id FROM trades WHERE id = $1")
            .bind(filled.trade_id.expect("the trade it became"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((price.to_string().as_str(), order_id), ("94.5000", Some(open.id)));
    assert_eq!(portfolio(&app, &ada).await.cash, money("9527.50"));
    // Its reservation is free again, and it is not filled twice.
    executed(order(&app, &ada, "AAPL", "buy", "100").await).await;
    assert_eq!(match_round(&app).await, matcher::Round::default());
}

#[tokio::test]
async fn a_trailing_stop_sell_follows_the_high_and_fills_through_its_stop() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    let trailing = OrderKind::TrailingStop { trail: papertrade::domain::open_order::Trail::Dollars(money("5")) };
    let open = place(&app, &ada, &ticket(Side::Sell, 10, trailing)).await.unwrap();

    dial.set("110");
    match_round(&app).await;
    assert_eq!(order_row(&app, open.id).await.water_mark.map(|m| m.to_string()), Some("110.00".into()));
    dial.set("105.01");
    assert_eq!(match_round(&app).await.filled, 0);
    dial.set("104");
    assert_eq!(match_round(&app).await.filled, 1);
    let reason = order_row(&app, open.id).await.state_reason.unwrap();
    assert!(reason.ends_with("because the price fell to $104.00, through the stop at $105.00."), "{reason}");
    assert_eq!(portfolio(&app, &ada).await.cash, money("10040"));
}

#[tokio::test]
async fn a_stop_that_gaps_past_its_margin_without_the_cash_is_rejected_and_says_why() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let ada = learner(&app, "ada").await;
    // 90 × ($105 + 5%) = $9,922.50 held; the price gaps to $120: 90 × $120 = $10,800.
    let open = place(&app, &ada, &ticket(Side::Buy, 90, OrderKind::Stop { stop: money("105") })).await.unwrap();
    dial.set("120");
    assert_eq!(match_round(&app).await.rejected, 1);
    let rejected = order_row(&app, open.id).await;
    assert_eq!(rejected.state, "rejected");
    assert!(rejected.state_reason.unwrap().starts_with("Not enough cash: 90 shares at $120.00"));
    executed(order(&app, &ada, "AAPL", "buy", "83").await).await;
}

#[tokio::test]
async fn an_order_past_its_time_in_force_expires_and_frees_its_reservation() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let open = place(&app, &ada, &ticket(Side::Buy, 100, OrderKind::Limit { limit: money("90") })).await.unwrap();
    sqlx::query("UPDATE orders SET expires_at = now() - interval '1 second'").execute(&app.pool).await.unwrap();
    assert_eq!(match_round(&app).await.expired, 1);
    assert_eq!(order_row(&app, open.id).await.state, "expired");
    executed(order(&app, &ada, "AAPL", "buy", "100").await).await;
}

/// Two instances' matchers and the learner's cancels, all at once, over 200 orders that the
/// price fills: every order ends exactly once, filled (with one trade) or cancelled.
#[tokio::test]
async fn two_matchers_and_cancels_racing_end_each_order_exactly_once() {
    const ORDERS: usize = 200;
    let app = TestApp::spawn_with_fixed_price("40").await;
    let other = app.another_instance().await;
    let ada = learner(&app, "ada").await;
    let mut ids = Vec::new();
    for _ in 0..ORDERS {
        ids.push(place(&app, &ada, &ticket(Side::Buy, 1, OrderKind::Limit { limit: money("40") })).await.unwrap().id);
    }
    // The matchers go oldest first; the cancels start a moment later, newest first, and meet
    // them somewhere in between (a cancel that meets a fill waits for it, then finds it filled).
    let cancels = async {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let owned = owned_in(&app.pool, viewer(&app, &ada).await.expect("signed in").id, None).await.unwrap();
        futures_util::future::join_all(ids.iter().rev().map(|id| orders::cancel(&app.pool, owned, *id))).await
    };
    let (first, second, cancels) = tokio::join!(match_round(&app), match_round(&other), cancels);

    let cancelled = cancels.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(first.filled + second.filled + cancelled, ORDERS, "{first:?} {second:?}");
    let states: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.state, count(t.id) FROM orders o LEFT JOIN trades t ON t.order_id = o.id GROUP BY o.id, o.state",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (state, trades) in &states {
        assert!(matches!((state.as_str(), trades), ("filled", 1) | ("cancelled", 0)), "{state} with {trades} trades");
    }
    let filled = states.iter().filter(|(state, _)| state == "filled").count();
    assert_eq!(filled, first.filled + second.filled);
    let cash = portfolio(&app, &ada).await.cash;
    assert_eq!(cash, Money::from_cents(1_000_000 - 4_000 * i64::try_from(filled).unwrap()));
}

/// One matcher round of `app`'s instance at `at` (RFC 3339).
async fn match_round_at(app: &TestApp, at: &str) -> matcher::Round {
    let trading = Trading::from_ref(&app.state);
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap().to_utc();
    matcher::round(&app.pool, &app.state.market, &trading, at).await.unwrap()
}

#[tokio::test]
async fn stops_and_stop_limits_fill_when_the_price_trades_through_at_that_price() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    let stop = place(&app, &ada, &ticket(Side::Sell, 4, OrderKind::Stop { stop: money("95") })).await.unwrap();
    let stop_limit = OrderKind::StopLimit { stop: money("94"), limit: money("93.50") };
    let stop_limit = place(&app, &ada, &ticket(Side::Sell, 3, stop_limit)).await.unwrap();
    let buy_stop = place(&app, &ada, &ticket(Side::Buy, 2, OrderKind::Stop { stop: money("105") })).await.unwrap();

    dial.set("95.01");
    assert_eq!(match_round(&app).await.filled, 0);
    dial.set("94.90");
    assert_eq!(match_round(&app).await.filled, 1, "the sell stop, not yet the stop-limit (94.90 is above its stop)");
    let reason = order_row(&app, stop.id).await.state_reason.unwrap();
    assert_eq!(reason, "Your stop sell of 4 AAPL at $95.00 filled at $94.90 because the price fell to $94.90, through the stop at $95.00.");
    dial.set("93");
    assert_eq!(match_round(&app).await.filled, 0, "through the stop, but below the limit");
    assert!(order_row(&app, stop_limit.id).await.triggered, "it remembers that its stop was hit");
    dial.set("93.60");
    assert_eq!(match_round(&app).await.filled, 1, "back at the limit or better");
    assert_eq!(order_row(&app, stop_limit.id).await.state, "filled");
    dial.set("106");
    assert_eq!(match_round(&app).await.filled, 1);
    assert_eq!(order_row(&app, buy_stop.id).await.state, "filled");
    // 10 shares at $100, 4 sold at $94.90, 3 at $93.60, 2 bought at $106.
    assert_eq!(portfolio(&app, &ada).await.cash, money("9448.40"));
}

#[tokio::test]
async fn under_nyse_hours_an_order_waits_for_the_open_and_fills_at_its_price() {
    let (app, _dial) = TestApp::spawn_with_dial_and_hours("94", papertrade::domain::MarketHours::Nyse).await;
    let ada = learner(&app, "ada").await;
    // Placed whenever the test runs (the market may be closed): it waits.
    let open = place(&app, &ada, &ticket(Side::Buy, 5, OrderKind::Limit { limit: money("95") })).await.unwrap();
    assert_eq!(match_round_at(&app, "2026-11-28T15:00:00Z").await, matcher::Round::default(), "a Saturday");
    assert_eq!(match_round_at(&app, "2026-11-30T14:29:59Z").await.filled, 0, "Monday, a second before the open");
    assert_eq!(match_round_at(&app, "2026-11-30T14:30:00Z").await.filled, 1, "Monday's open, 09:30 in New York");
    let filled = order_row(&app, open.id).await;
    assert_eq!(
        filled.state_reason.as_deref(),
        Some("Your limit buy of 5 AAPL at $95.00 filled at $94.00 because the price fell to $94.00.")
    );
}

/// Open buys and market buys at once against $10,000, each needing $1,000: exactly ten of the
/// forty succeed, whichever kind, and the cash never goes below what the open orders hold.
#[tokio::test]
async fn open_orders_and_market_orders_racing_never_promise_the_cash_twice() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let tickets: Vec<OpenOrderTicket> =
        (0..20).map(|_| ticket(Side::Buy, 10, OrderKind::Limit { limit: money("100") })).collect();
    let (placed, bought) = tokio::join!(
        futures_util::future::join_all(tickets.iter().map(|ticket| place(&app, &ada, ticket))),
        futures_util::future::join_all((0..20).map(|_| order(&app, &ada, "AAPL", "buy", "10"))),
    );
    let placed = placed.iter().filter(|outcome| outcome.is_ok()).count();
    let bought = bought.iter().filter(|response| response.status().is_success()).count();
    assert_eq!(placed + bought, 10, "{placed} open orders placed and {bought} market orders executed");
    let (cash, held): (rust_decimal::Decimal, rust_decimal::Decimal) = sqlx::query_as(
        "SELECT p.cash_balance, coalesce(sum(o.reserved_cash), 0) FROM portfolios p
         LEFT JOIN orders o ON o.portfolio_id = p.id AND o.state = 'open' GROUP BY p.id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(cash - held, rust_decimal::Decimal::ZERO, "every dollar is spent or held, none twice");
}
