//! Orders over HTTP against a real PostgreSQL: execution, every rejection reason, idempotent
//! retries, isolation, and a bank-test style concurrency check of the money invariants.

use crate::auth::sign_up;
use crate::harness::{browser, TestApp};
use chrono::{DateTime, Utc};
use papertrade::domain::market_hours::MarketHours;
use papertrade::domain::quote::{ChartRange, PricePoint, Quote};
use papertrade::domain::valuation::PortfolioValue;
use papertrade::domain::Money;
use papertrade::server::market::{Listing, MarketError, QuoteSource};
use papertrade::wire::trading::OrderReceipt;
use papertrade::wire::AppError;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

pub async fn order(
    app: &TestApp,
    client: &reqwest::Client,
    symbol: &str,
    side: &str,
    quantity: &str,
) -> reqwest::Response {
    order_with_key(app, client, symbol, side, quantity, &Uuid::new_v4().to_string()).await
}

pub async fn order_with_key(
    app: &TestApp,
    client: &reqwest::Client,
    symbol: &str,
    side: &str,
    quantity: &str,
    key: &str,
) -> reqwest::Response {
    let form = [("symbol", symbol), ("side", side), ("quantity", quantity), ("idempotency_key", key)];
    app.call_as(client, "place_order", &form).await
}

/// An order in the portfolio `portfolio` (an id) with the idempotency key `key`.
pub async fn order_in(
    app: &TestApp,
    client: &reqwest::Client,
    portfolio: &str,
    (symbol, side, quantity): (&str, &str, &str),
    key: &str,
) -> reqwest::Response {
    let form = [
        ("symbol", symbol),
        ("side", side),
        ("quantity", quantity),
        ("idempotency_key", key),
        ("portfolio", portfolio),
    ];
    app.call_as(client, "place_order", &form).await
}

pub async fn executed(response: reqwest::Response) -> OrderReceipt {
    assert!(response.status().is_success(), "order answered {}", response.status());
    response.json().await.unwrap()
}

pub async fn rejected(response: reqwest::Response) -> AppError {
    assert_eq!(response.status(), 400);
    response.json().await.unwrap()
}

pub async fn portfolio(app: &TestApp, client: &reqwest::Client) -> PortfolioValue {
    app.call_as(client, "my_portfolio", &[]).await.json().await.unwrap()
}

pub async fn learner(app: &TestApp, name: &str) -> reqwest::Client {
    let client = browser();
    sign_up(app, &client, &format!("{name}@example.com"), name).await;
    client
}

#[tokio::test]
async fn a_buy_then_a_sell_move_cash_holdings_and_the_ledger() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let client = learner(&app, "ada").await;

    let buy = executed(order(&app, &client, "aapl", "buy", "10").await).await;
    assert_eq!((buy.symbol.as_str(), buy.quantity, buy.amount.to_string()), ("AAPL", 10, "1000.00".into()));
    assert_eq!(buy.cash_after.to_string(), "9000.00");
    let sell = executed(order(&app, &client, "AAPL", "sell", "4").await).await;
    assert_eq!((sell.amount.to_string(), sell.cash_after.to_string()), ("400.00".into(), "9400.00".into()));
    assert_eq!(sell.realized_pnl.unwrap().to_string(), "0.00");

    let now = portfolio(&app, &client).await;
    assert_eq!(now.cash.to_string(), "9400.00");
    assert_eq!(now.holdings.len(), 1);
    assert_eq!((now.holdings[0].shares, now.holdings[0].average_cost.to_string()), (6, "100.00".into()));
    assert_eq!(now.total_value.to_string(), "10000.00");
    let ledger: i64 = sqlx::query_scalar("SELECT count(*) FROM trades").fetch_one(&app.pool).await.unwrap();
    assert_eq!(ledger, 2);

    executed(order(&app, &client, "AAPL", "sell", "6").await).await;
    assert!(portfolio(&app, &client).await.holdings.is_empty(), "selling everything closes the position");
}

#[tokio::test]
async fn every_rejection_names_its_reason() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let client = learner(&app, "bob").await;

    let unknown = rejected(order(&app, &client, "NOPE", "buy", "1").await).await;
    assert!(unknown.message_for("symbol").unwrap().contains("not a symbol we list"), "{unknown:?}");
    for bad in ["0", "-3", "1.5", "abc", "", "1000001"] {
        let error = rejected(order(&app, &client, "AAPL", "buy", bad).await).await;
        assert!(error.message_for("quantity").is_some(), "{bad:?} → {error:?}");
    }
    let poor = rejected(order(&app, &client, "AAPL", "buy", "101").await).await;
    let message = poor.message_for("quantity").unwrap();
    assert!(message.contains("$10,000.00") && message.contains("enough for 100 shares"), "{message}");
    let nothing = rejected(order(&app, &client, "AAPL", "sell", "1").await).await;
    assert!(nothing.message_for("quantity").unwrap().contains("do not own any AAPL"));
    executed(order(&app, &client, "AAPL", "buy", "2").await).await;
    let too_many = rejected(order(&app, &client, "AAPL", "sell", "3").await).await;
    assert!(too_many.message_for("quantity").unwrap().contains("at most 2"));
    let side = rejected(order(&app, &client, "AAPL", "hold", "1").await).await;
    assert!(side.message_for("side").is_some());

    let cash = portfolio(&app, &client).await.cash;
    assert_eq!(cash.to_string(), "9800.00", "rejections changed nothing");
    let signed_out = order(&app, &browser(), "AAPL", "buy", "1").await;
    assert_eq!(signed_out.status(), 401);
}

#[tokio::test]
async fn orders_outside_nyse_hours_are_rejected_with_the_next_open() {
    let app = TestApp::spawn_with(&[("MARKET_HOURS", "nyse")]).await;
    let client = learner(&app, "nyse").await;
    let response = order(&app, &client, "SPY", "buy", "1").await;
    if MarketHours::Nyse.is_open(chrono::Utc::now()) {
        executed(response).await;
    } else {
        let AppError::Invalid(message) = rejected(response).await else { panic!("a form-level message") };
        assert!(message.contains("market is closed") && message.contains("opens again"), "{message}");
    }
}

#[tokio::test]
async fn a_retried_order_executes_once_and_returns_the_first_result() {
    let app = TestApp::spawn_with_fixed_price("50.00").await;
    let client = learner(&app, "retry").await;
    let key = Uuid::new_v4().to_string();

    let first = executed(order_with_key(&app, &client, "MSFT", "buy", "3", &key).await).await;
    let again = executed(order_with_key(&app, &client, "MSFT", "buy", "3", &key).await).await;

    assert_eq!(again.trade_id, first.trade_id);
    assert!(!first.replayed && again.replayed);
    assert_eq!(portfolio(&app, &client).await.cash.to_string(), "9850.00");
    let different = order_with_key(&app, &client, "MSFT", "buy", "4", &key).await;
    assert_eq!(different.status(), 409);
}

#[tokio::test]
async fn a_retried_sell_of_every_share_returns_its_receipt_not_a_rejection() {
    let app = TestApp::spawn_with_fixed_price("50.00").await;
    let client = learner(&app, "seller").await;
    executed(order(&app, &client, "KO", "buy", "2").await).await;
    let key = Uuid::new_v4().to_string();

    let first = executed(order_with_key(&app, &client, "KO", "sell", "2", &key).await).await;
    // Judged afresh, this sell would be refused: no KO shares are left.
    let again = executed(order_with_key(&app, &client, "KO", "sell", "2", &key).await).await;
    assert_eq!((again.trade_id, again.replayed), (first.trade_id, true));

    // The same key sent many times at once still executes once.
    let key = Uuid::new_v4().to_string();
    let retries = (0..8).map(|_| order_with_key(&app, &client, "KO", "buy", "1", &key));
    let receipts = futures_util::future::join_all(retries).await;
    let mut trade_ids = std::collections::HashSet::new();
    for response in receipts {
        trade_ids.insert(executed(response).await.trade_id);
    }
    assert_eq!(trade_ids.len(), 1, "one execution, eight receipts of it");
    let value = portfolio(&app, &client).await;
    assert_eq!(value.cash.to_string(), "9950.00", "10,000 − 100 + 100 − 50");
}

#[tokio::test]
async fn learners_only_ever_see_and_change_their_own_portfolio() {
    let app = TestApp::spawn_with_fixed_price("10.00").await;
    let alice = learner(&app, "alice").await;
    let bob = learner(&app, "bobby").await;

    executed(order(&app, &alice, "KO", "buy", "7").await).await;

    let bobs = portfolio(&app, &bob).await;
    assert!(bobs.holdings.is_empty());
    assert_eq!(bobs.cash.to_string(), "10000.00");
    assert!(rejected(order(&app, &bob, "KO", "sell", "1").await).await.message_for("quantity").is_some());
    assert_eq!(portfolio(&app, &alice).await.holdings[0].shares, 7);
}

/// Cash and holdings as a replay of the ledger computes them, against what is stored.
async fn assert_ledger_matches_balances(app: &TestApp) {
    let violations: i64 = sqlx::query_scalar(
        "WITH replay AS (
             SELECT p.id, p.starting_cash
                    - COALESCE(SUM(CASE WHEN t.side = 'buy' THEN t.amount ELSE -t.amount END), 0) AS cash
             FROM portfolios p LEFT JOIN trades t ON t.portfolio_id = p.id GROUP BY p.id),
         shares AS (
             SELECT portfolio_id, symbol, SUM(CASE WHEN side = 'buy' THEN quantity ELSE -quantity END) AS held
             FROM trades GROUP BY portfolio_id, symbol)
         SELECT (SELECT count(*) FROM portfolios p JOIN replay r ON r.id = p.id WHERE r.cash <> p.cash_balance)
              + (SELECT count(*) FROM shares s LEFT JOIN holdings h USING (portfolio_id, symbol)
                 WHERE s.held <> COALESCE(h.shares, 0))
              + (SELECT count(*) FROM portfolios WHERE cash_balance < 0)
              + (SELECT count(*) FROM holdings WHERE shares <= 0)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(violations, 0, "balances disagree with the ledger");
}

#[tokio::test]
async fn concurrent_random_orders_on_one_account_keep_every_invariant() {
    let app = TestApp::spawn_with_fixed_price("37.13").await;
    let client = learner(&app, "bank").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60u64 {
        let (client, address) = (client.clone(), app.address.clone());
        tasks.spawn(async move {
            // A fixed pseudo-random mix of buys and sells of two symbols and 1–40 shares.
            let side = if i % 3 == 0 { "sell" } else { "buy" };
            let symbol = if i % 2 == 0 { "AAPL" } else { "MSFT" };
            let quantity = ((i * 7919) % 40 + 1).to_string();
            let form = [
                ("symbol", symbol),
                ("side", side),
                ("quantity", &quantity),
                ("idempotency_key", &Uuid::new_v4().to_string()),
            ];
            client.post(format!("{address}/api/place_order")).form(&form).send().await.unwrap().status().as_u16()
        });
    }
    let statuses: Vec<u16> = tasks.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200 || *s == 400), "only executions and clean rejections: {statuses:?}");
    assert!(statuses.contains(&200) && statuses.contains(&400));
    assert_ledger_matches_balances(&app).await;
}

#[tokio::test]
async fn with_cash_for_k_shares_n_concurrent_buys_execute_exactly_k() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let client = learner(&app, "kshares").await;
    let k = 7;
    sqlx::query("UPDATE portfolios SET cash_balance = $1")
        .bind(Decimal::from(k * 100))
        .execute(&app.pool)
        .await
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (client, address) = (client.clone(), app.address.clone());
        tasks.spawn(async move {
            let form = [
                ("symbol", "NVDA"),
                ("side", "buy"),
                ("quantity", "1"),
                ("idempotency_key", &Uuid::new_v4().to_string()),
            ];
            client.post(format!("{address}/api/place_order")).form(&form).send().await.unwrap().status().as_u16()
        });
    }
    let statuses: Vec<u16> = tasks.join_all().await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), k as usize, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 50 - k as usize, "{statuses:?}");
    let cash: Decimal = sqlx::query_scalar("SELECT cash_balance FROM portfolios").fetch_one(&app.pool).await.unwrap();
    assert_eq!(cash, dec!(0));
    let shares: i64 = sqlx::query_scalar("SELECT shares FROM holdings").fetch_one(&app.pool).await.unwrap();
    assert_eq!(shares, k);
}

/// Quotes every symbol at $10, and counts the quotes asked for while some order holds a
/// portfolio's row lock (found by trying to share-lock every portfolio without waiting).
struct LockWatchingQuotes {
    pool: sqlx::PgPool,
    asked: AtomicUsize,
    asked_under_lock: AtomicUsize,
}

#[async_trait::async_trait]
impl QuoteSource for LockWatchingQuotes {
    async fn quote(&self, listing: &Listing, now: DateTime<Utc>) -> Result<Quote, MarketError> {
        let mut tx = papertrade::server::platform::db::begin(&self.pool).await.expect("the checker's transaction");
        let locked = sqlx::query("SELECT id FROM portfolios FOR SHARE NOWAIT").fetch_all(&mut *tx).await.is_err();
        drop(tx);
        self.asked.fetch_add(1, SeqCst);
        if locked {
            self.asked_under_lock.fetch_add(1, SeqCst);
        }
        let price = Money::from_cents(1_000);
        Ok(Quote { symbol: listing.symbol.clone(), price, previous_close: price, as_of: now })
    }

    async fn history(&self, _: &Listing, _: ChartRange, _: DateTime<Utc>) -> Result<Vec<PricePoint>, MarketError> {
        Ok(Vec::new())
    }
}

#[tokio::test]
async fn no_quote_is_asked_for_while_an_order_holds_its_locks() {
    let watcher = Arc::new(OnceLock::<Arc<LockWatchingQuotes>>::new());
    let installed = watcher.clone();
    let app = TestApp::spawn_with_quote_source(move |pool| {
        let quotes =
            Arc::new(LockWatchingQuotes { pool, asked: AtomicUsize::new(0), asked_under_lock: AtomicUsize::new(0) });
        let _ = installed.set(quotes.clone());
        quotes
    })
    .await;
    let ada = learner(&app, "ada").await;

    // Every order after the first values several holdings for its snapshot.
    for symbol in ["AAPL", "MSFT", "KO", "AAPL", "MSFT"] {
        executed(order(&app, &ada, symbol, "buy", "2").await).await;
    }
    executed(order(&app, &ada, "KO", "sell", "2").await).await;

    let quotes = watcher.get().unwrap();
    assert!(quotes.asked.load(SeqCst) >= 6, "each order asked for its quote");
    assert_eq!(quotes.asked_under_lock.load(SeqCst), 0, "quotes are asked for before the transaction begins");
}

#[tokio::test]
async fn simulated_prices_follow_the_deployments_secret_seed_and_every_instance_shares_it() {
    // AAPL's price and the tick it was set at, on each server, read within one tick.
    async fn prices(apps: &[&TestApp]) -> Vec<Money> {
        for _ in 0..5 {
            let mut seen = Vec::new();
            for app in apps {
                let url = format!("{}/api/stock_detail", app.address);
                let response = app.client.post(url).form(&[("symbol", "AAPL")]).send().await.unwrap();
                let view: papertrade::wire::market::StockView = response.json().await.unwrap();
                seen.push((view.row.price, view.row.as_of));
            }
            if seen.iter().all(|(_, as_of)| *as_of == seen[0].1) {
                return seen.into_iter().map(|(price, _)| price).collect();
            }
        }
        panic!("five tries and the reads never fell within one tick");
    }
    let first = TestApp::spawn().await;
    let second_instance = first.started_again().await;
    let elsewhere = TestApp::spawn().await;
    let seed: i64 = sqlx::query_scalar("SELECT seed FROM market_secret").fetch_one(&first.pool).await.unwrap();

    let seen = prices(&[&first, &second_instance, &elsewhere]).await;
    assert_eq!(seen[0], seen[1], "instances on one database agree");
    assert_ne!(seen[0], seen[2], "another deployment's seed walks another way");
    // The starts kept the first seed, and nothing of it reaches a page.
    let kept: Vec<i64> = sqlx::query_scalar("SELECT seed FROM market_secret").fetch_all(&first.pool).await.unwrap();
    assert_eq!(kept, [seed]);
    let page = first.get("/stocks/AAPL").await.text().await.unwrap();
    assert!(!page.contains(&seed.to_string()), "the seed is never sent to a client");
}
