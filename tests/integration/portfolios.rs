//! A portfolio, not a user, is what trades: every server function that reads or changes money
//! acts on the portfolio it is given only after checking the caller owns it, and a user's other
//! portfolios (a game's) trade apart from the personal one.

use crate::harness::TestApp;
use crate::trading::{executed, learner, order, order_in};
use papertrade::domain::quote::PricePoint;
use papertrade::domain::valuation::PortfolioValue;
use papertrade::wire::history::LedgerPage;
use papertrade::wire::AppError;
use uuid::Uuid;

async fn personal_portfolio_of(app: &TestApp, username: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT p.id FROM portfolios p JOIN users u ON u.id = p.user_id
         WHERE u.username = $1 AND p.kind = 'personal' AND p.archived_at IS NULL",
    )
    .bind(username)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// A second active portfolio for `username`, as joining a game will make one.
pub async fn game_portfolio_for(app: &TestApp, username: &str, cash: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO portfolios (user_id, kind, starting_cash, cash_balance)
         SELECT id, 'game', $2::numeric, $2::numeric FROM users WHERE username = $1 RETURNING id",
    )
    .bind(username)
    .bind(cash)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn cash_of(app: &TestApp, portfolio: Uuid) -> String {
    let cash: rust_decimal::Decimal = sqlx::query_scalar("SELECT cash_balance FROM portfolios WHERE id = $1")
        .bind(portfolio)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    cash.to_string()
}

async fn not_found(response: reqwest::Response) -> AppError {
    assert_eq!(response.status(), 404);
    response.json().await.unwrap()
}

#[tokio::test]
async fn another_users_portfolio_is_not_found_by_any_server_function() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    let _bob = learner(&app, "bobby").await;
    let bobs = personal_portfolio_of(&app, "bobby").await.to_string();
    let key = Uuid::new_v4().to_string();

    let order = [
        ("symbol", "AAPL"),
        ("side", "buy"),
        ("quantity", "1"),
        ("idempotency_key", key.as_str()),
        ("portfolio", bobs.as_str()),
    ];
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("place_order", order.to_vec()),
        ("my_portfolio", vec![("portfolio", &bobs)]),
        ("value_history", vec![("portfolio", &bobs)]),
        ("trade_history", vec![("page", "1"), ("symbol", ""), ("side", ""), ("portfolio", &bobs)]),
        ("reset_portfolio", vec![("confirm", "yes"), ("portfolio", &bobs)]),
        ("stock_detail", vec![("symbol", "AAPL"), ("portfolio", &bobs)]),
    ];
    for (endpoint, form) in &calls {
        let error = not_found(app.call_as(&ada, endpoint, form).await).await;
        assert_eq!(error, AppError::NotFound("that portfolio".into()), "{endpoint}");
    }

    assert_eq!(cash_of(&app, bobs.parse().unwrap()).await, "10000.00", "bob's cash is untouched");
    let bobs_trades: i64 = sqlx::query_scalar("SELECT count(*) FROM trades").fetch_one(&app.pool).await.unwrap();
    assert_eq!(bobs_trades, 0);
    let garbled = app.call_as(&ada, "my_portfolio", &[("portfolio", "not-a-portfolio")]).await;
    assert_eq!(not_found(garbled).await, AppError::NotFound("that portfolio".into()));
}

#[tokio::test]
async fn an_archived_portfolio_is_not_found_after_a_reset() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    let before = personal_portfolio_of(&app, "ada").await.to_string();

    let reset = app.call_as(&ada, "reset_portfolio", &[("confirm", "yes")]).await;
    assert!(reset.status().is_success() || reset.status().is_redirection(), "reset answered {}", reset.status());

    let error = not_found(app.call_as(&ada, "my_portfolio", &[("portfolio", &before)]).await).await;
    assert_eq!(error, AppError::NotFound("that portfolio".into()));
    assert!(app.call_as(&ada, "my_portfolio", &[]).await.status().is_success(), "the new personal one is there");
}

#[tokio::test]
async fn a_second_portfolio_trades_apart_from_the_personal_one() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    let personal = personal_portfolio_of(&app, "ada").await;
    let game = game_portfolio_for(&app, "ada", "5000.00").await.to_string();

    let key = Uuid::new_v4().to_string();
    let receipt = executed(order_in(&app, &ada, &game, ("AAPL", "buy", "3"), &key).await).await;
    assert_eq!(receipt.cash_after.to_string(), "4700.00");
    let retried = executed(order_in(&app, &ada, &game, ("AAPL", "buy", "3"), &key).await).await;
    assert!(retried.replayed, "the idempotency key is the game portfolio's");
    executed(order(&app, &ada, "MSFT", "buy", "1").await).await;

    assert_eq!(cash_of(&app, game.parse().unwrap()).await, "4700.00");
    assert_eq!(cash_of(&app, personal).await, "9900.00");
    let in_game: PortfolioValue =
        app.call_as(&ada, "my_portfolio", &[("portfolio", &game)]).await.json().await.unwrap();
    assert_eq!((in_game.holdings.len(), in_game.holdings[0].symbol.as_str()), (1, "AAPL"));
    let personal_value: PortfolioValue = app.call_as(&ada, "my_portfolio", &[]).await.json().await.unwrap();
    assert_eq!(personal_value.holdings[0].symbol, "MSFT");
    let game_ledger: LedgerPage = app
        .call_as(&ada, "trade_history", &[("page", "1"), ("symbol", ""), ("side", ""), ("portfolio", &game)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((game_ledger.matching, game_ledger.entries[0].symbol.as_str()), (1, "AAPL"));
    let chart: Vec<PricePoint> =
        app.call_as(&ada, "value_history", &[("portfolio", &game)]).await.json().await.unwrap();
    assert_eq!(chart.last().map(|point| point.price.to_string()), Some("5000.00".into()), "the snapshot after the buy");

    let reset = app.call_as(&ada, "reset_portfolio", &[("confirm", "yes"), ("portfolio", &game)]).await;
    assert_eq!(reset.status(), 400, "a game's portfolio is not the learner's to reset");
}
