//! Orders that wait, against a real PostgreSQL: placing one holds back its cash or shares from
//! every other order, market or waiting, so nothing is promised twice; cancelling gives it back,
//! once. (The matcher that fills them comes next; these orders are placed through the service.)

use crate::auth::viewer;
use crate::harness::TestApp;
use crate::trading::{executed, learner, order, portfolio, rejected};
use papertrade::domain::open_order::{OrderKind, OrderTerms, TimeInForce};
use papertrade::domain::{Money, Shares, Side, Symbol};
use papertrade::server::orders::{self, repo::OrderRow, OpenOrderTicket};
use papertrade::server::portfolio::owned_in;
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
