//! The order form's endpoints over HTTP, against a real PostgreSQL: `submit_order` for every
//! kind, `my_orders`, `change_order` (atomic: an order that filled meanwhile is not changed) and
//! `cancel_order`; each acts only on the caller's own orders, and bad input gets the field's
//! message. The fill's reason reaches the ledger and the notifications.

use crate::harness::{browser, TestApp};
use crate::orders::match_round;
use crate::trading::{executed, learner, order};
use papertrade::wire::history::LedgerPage;
use papertrade::wire::notifications::NotificationPage;
use papertrade::wire::orders::{OrderBook, OrderOutcome, OrderState, OrderView};
use papertrade::wire::AppError;
use uuid::Uuid;

/// Submits the order form with `fields` (symbol AAPL and a fresh idempotency key unless given).
async fn submit(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let key = Uuid::new_v4().to_string();
    let mut form = vec![("symbol", "AAPL"), ("idempotency_key", key.as_str())];
    form.retain(|(name, _)| !fields.iter().any(|(given, _)| given == name));
    form.extend_from_slice(fields);
    app.call_as(client, "submit_order", &form).await
}

async fn waiting(response: reqwest::Response) -> OrderView {
    assert_eq!(response.status(), 200);
    match response.json().await.unwrap() {
        OrderOutcome::Waiting(order) => order,
        other => panic!("expected an order that waits, got {other:?}"),
    }
}

async fn refused(response: reqwest::Response, status: u16) -> AppError {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

async fn open_orders(app: &TestApp, client: &reqwest::Client) -> OrderBook {
    let response = app.call_as(client, "my_orders", &[("open_only", "true")]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_order_form_places_each_kind_and_lists_what_they_hold_back() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let market = submit(&app, &ada, &[("side", "buy"), ("quantity", "10"), ("kind", "market")]).await;
    assert!(matches!(market.json().await.unwrap(), OrderOutcome::Executed(receipt) if receipt.quantity == 10));

    let limit =
        [("side", "buy"), ("quantity", "5"), ("kind", "limit"), ("limit_price", "95"), ("time_in_force", "gtc")];
    let limit = waiting(submit(&app, &ada, &limit).await).await;
    assert_eq!(limit.terms, "If AAPL falls to $95.00 or below, buy 5 shares at that price or better.");
    assert_eq!((limit.title.as_str(), limit.time_in_force.as_str()), ("Limit buy", "Until cancelled"));
    assert_eq!(limit.reserved_cash.to_usd(), "$475.00");
    let stop = [("side", "buy"), ("quantity", "2"), ("kind", "stop"), ("stop_price", "110")];
    assert_eq!(waiting(submit(&app, &ada, &stop).await).await.reserved_cash.to_usd(), "$231.00", "2 × ($110 + 5%)");
    let stop_limit =
        [("side", "sell"), ("quantity", "3"), ("kind", "stop_limit"), ("stop_price", "90"), ("limit_price", "89")];
    let stop_limit = waiting(submit(&app, &ada, &stop_limit).await).await;
    assert_eq!(stop_limit.terms, "If AAPL falls to $90.00 or below, sell 3 shares at $89.00 or better.");
    let trailing =
        [("side", "sell"), ("quantity", "7"), ("kind", "trailing_stop"), ("trail", "5"), ("trail_unit", "percent")];
    let trailing = waiting(submit(&app, &ada, &trailing).await).await;
    assert_eq!(
        trailing.terms,
        "If AAPL falls to 5% below its highest price since now (today that is $95.00), sell 7 shares at the market price."
    );

    let book = open_orders(&app, &ada).await;
    assert_eq!(book.orders.len(), 4);
    assert_eq!((book.cash.to_usd(), book.reserved_cash.to_usd()), ("$9,000.00".into(), "$706.00".into()));
    // All ten shares are promised to the two sells: one more is refused with the count.
    let more =
        submit(&app, &ada, &[("side", "sell"), ("quantity", "1"), ("kind", "limit"), ("limit_price", "150")]).await;
    assert!(refused(more, 400).await.to_string().contains("so you can sell at most 0"));
}

#[tokio::test]
async fn bad_order_fields_name_the_field_and_store_nothing() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("side", "buy"), ("quantity", "1"), ("kind", "limit"), ("limit_price", "")], "limit_price"),
        (&[("side", "buy"), ("quantity", "1"), ("kind", "limit"), ("limit_price", "9.999")], "limit_price"),
        (&[("side", "buy"), ("quantity", "1"), ("kind", "iceberg")], "kind"),
        (&[("side", "buy"), ("quantity", "0"), ("kind", "limit"), ("limit_price", "90")], "quantity"),
        (
            &[
                ("side", "buy"),
                ("quantity", "1"),
                ("kind", "limit"),
                ("limit_price", "90"),
                ("time_in_force", "forever"),
            ],
            "time_in_force",
        ),
        (
            &[("side", "buy"), ("quantity", "1"), ("kind", "trailing_stop"), ("trail", "x"), ("trail_unit", "percent")],
            "trail",
        ),
    ];
    for (fields, field) in cases {
        let error = refused(submit(&app, &ada, fields).await, 400).await;
        assert!(error.message_for(field).is_some(), "{fields:?} → {error:?}");
    }
    let pointless =
        submit(&app, &ada, &[("side", "buy"), ("quantity", "1"), ("kind", "stop"), ("stop_price", "90")]).await;
    assert_eq!(
        refused(pointless, 400).await.to_string(),
        "A buy stop must be above the current price of $100.00; a market order does this now"
    );
    let wide = submit(
        &app,
        &ada,
        &[("side", "buy"), ("quantity", "1"), ("kind", "trailing_stop"), ("trail", "70"), ("trail_unit", "percent")],
    )
    .await;
    assert_eq!(refused(wide, 400).await.to_string(), "A trailing stop trails by 1% to 50%");
    assert!(open_orders(&app, &ada).await.orders.is_empty());
}

#[tokio::test]
async fn a_change_is_checked_again_and_an_order_that_filled_meanwhile_is_not_changed() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let ada = learner(&app, "ada").await;
    let open = waiting(
        submit(&app, &ada, &[("side", "buy"), ("quantity", "5"), ("kind", "limit"), ("limit_price", "95")]).await,
    )
    .await;
    let id = open.id.to_string();

    let changed =
        app.call_as(&ada, "change_order", &[("order_id", &id), ("quantity", "10"), ("limit_price", "96")]).await;
    assert_eq!(changed.status(), 200);
    let changed: OrderView = changed.json().await.unwrap();
    assert_eq!((changed.quantity, changed.reserved_cash.to_usd()), (10, "$960.00".into()));
    let too_big = app.call_as(&ada, "change_order", &[("order_id", &id), ("quantity", "200")]).await;
    let too_big = refused(too_big, 400).await.to_string();
    assert!(too_big.starts_with("Not enough cash: 200 shares at $96.00"), "{too_big}");
    let no_stop = app.call_as(&ada, "change_order", &[("order_id", &id), ("stop_price", "90")]).await;
    assert_eq!(
        refused(no_stop, 400).await.message_for("stop_price").as_deref(),
        Some("A limit order has no stop price")
    );
    assert_eq!(open_orders(&app, &ada).await.reserved_cash.to_usd(), "$960.00", "the refused changes changed nothing");

    dial.set("94.10");
    assert_eq!(match_round(&app).await.filled, 1);
    let late = app.call_as(&ada, "change_order", &[("order_id", &id), ("quantity", "1")]).await;
    assert_eq!(
        refused(late, 409).await,
        AppError::Conflict("that order filled before it could be changed; see your history".into())
    );
    let late = app.call_as(&ada, "cancel_order", &[("order_id", &id)]).await;
    assert_eq!(
        refused(late, 409).await.to_string(),
        "that order filled before it could be cancelled; see your history"
    );

    // Why it filled: in the ledger, and as a notification.
    let why = "Your limit buy of 10 AAPL at $96.00 filled at $94.10 because the price fell to $94.10.";
    let ledger: LedgerPage =
        app.call_as(&ada, "trade_history", &[("page", "1"), ("symbol", ""), ("side", "")]).await.json().await.unwrap();
    assert_eq!(ledger.entries[0].why.as_deref(), Some(why));
    let notes: NotificationPage = app.call_as(&ada, "notifications", &[]).await.json().await.unwrap();
    assert!(notes.items.iter().any(|note| note.title == "Your order filled" && note.message == why), "{notes:?}");
    let csv = ada.get(format!("{}/history.csv", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(csv.lines().nth(1).unwrap().ends_with(&format!(",0.00,\"{why}\"")), "{csv}");
    let all: OrderBook = app.call_as(&ada, "my_orders", &[]).await.json().await.unwrap();
    assert_eq!((all.orders[0].state, all.orders[0].reason.as_deref()), (OrderState::Filled, Some(why)));
}

#[tokio::test]
async fn only_the_owner_sees_changes_or_cancels_an_order() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    let open = waiting(
        submit(&app, &ada, &[("side", "buy"), ("quantity", "5"), ("kind", "limit"), ("limit_price", "95")]).await,
    )
    .await;
    let id = open.id.to_string();

    let grace = learner(&app, "grace").await;
    assert!(open_orders(&app, &grace).await.orders.is_empty());
    for (endpoint, form) in [
        ("change_order", vec![("order_id", id.as_str()), ("quantity", "1")]),
        ("cancel_order", vec![("order_id", id.as_str())]),
    ] {
        assert_eq!(
            refused(app.call_as(&grace, endpoint, &form).await, 404).await,
            AppError::NotFound("that order".into())
        );
        assert_eq!(refused(app.call_as(&browser(), endpoint, &form).await, 401).await, AppError::Unauthorized);
    }
    assert_eq!(refused(app.call_as(&browser(), "my_orders", &[]).await, 401).await, AppError::Unauthorized);
    let anonymous =
        submit(&app, &browser(), &[("side", "buy"), ("quantity", "1"), ("kind", "limit"), ("limit_price", "1")]).await;
    assert_eq!(refused(anonymous, 401).await, AppError::Unauthorized);
    // Grace cannot place into ada's portfolio by naming it either.
    let ada_portfolio: Uuid = sqlx::query_scalar("SELECT portfolio_id FROM orders").fetch_one(&app.pool).await.unwrap();
    let foreign = submit(
        &app,
        &grace,
        &[
            ("side", "buy"),
            ("quantity", "1"),
            ("kind", "limit"),
            ("limit_price", "1"),
            ("portfolio", &ada_portfolio.to_string()),
        ],
    )
    .await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(open_orders(&app, &ada).await.orders, vec![open]);
    let cancelled = app.call_as(&ada, "cancel_order", &[("order_id", &id)]).await;
    assert_eq!(cancelled.json::<OrderView>().await.unwrap().state, OrderState::Cancelled);
}

#[tokio::test]
async fn the_coach_explains_a_first_limit_order_and_a_market_order_far_from_the_close_once() {
    let app = TestApp::spawn_with_quote("105.00", "100.00").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    for limit in ["90", "91"] {
        waiting(
            submit(&app, &ada, &[("side", "buy"), ("quantity", "1"), ("kind", "limit"), ("limit_price", limit)]).await,
        )
        .await;
    }
    let notes: NotificationPage = app.call_as(&ada, "notifications", &[]).await.json().await.unwrap();
    let titled = |title: &str| notes.items.iter().filter(|note| note.title == title).count();
    assert_eq!(titled("AAPL was moving fast"), 1, "{notes:?}");
    assert_eq!(titled("Your first limit order"), 1);
    let far = notes.items.iter().find(|note| note.title == "AAPL was moving fast").unwrap();
    assert!(far
        .message
        .starts_with("You bought AAPL at $105.00 with a market order, 5% above the last close of $100.00."));
}
