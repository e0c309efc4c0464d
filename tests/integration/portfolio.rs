//! A portfolio over time, against a real PostgreSQL: value snapshots (open, trades, closes), the
//! day's change, the ledger's pages, filters and CSV export, and starting over.

use crate::harness::{browser, fixed_market, TestApp};
use crate::trading::{executed, learner, order, portfolio, rejected};
use chrono::{Duration, Utc};
use papertrade::domain::quote::PricePoint;
use papertrade::server::portfolio::history::record_closes;
use papertrade::wire::history::LedgerPage;
use rust_decimal::Decimal;

async fn value_history(app: &TestApp, client: &reqwest::Client) -> Vec<PricePoint> {
    let response = app.call_as(client, "value_history", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn ledger(app: &TestApp, client: &reqwest::Client, page: &str, symbol: &str, side: &str) -> LedgerPage {
    let response = app.call_as(client, "trade_history", &[("page", page), ("symbol", symbol), ("side", side)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// (kind, cash, total value) of every snapshot, oldest first.
async fn snapshots(app: &TestApp) -> Vec<(String, Decimal, Decimal)> {
    sqlx::query_as("SELECT kind, cash, total_value FROM portfolio_snapshots ORDER BY taken_at, id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_value_history_holds_the_open_every_trade_and_the_value_now() {
    // The simulated market: prices move, so each snapshot must be valued at its own moment.
    let app = TestApp::spawn().await;
    let client = learner(&app, "vera").await;
    let buy = executed(order(&app, &client, "AAPL", "buy", "10").await).await;
    let sell = executed(order(&app, &client, "AAPL", "sell", "4").await).await;

    let recorded = snapshots(&app).await;
    let kinds: Vec<&str> = recorded.iter().map(|(kind, ..)| kind.as_str()).collect();
    assert_eq!(kinds, ["open", "trade", "trade"]);
    assert_eq!((recorded[0].1, recorded[0].2), (Decimal::from(10_000), Decimal::from(10_000)));
    // After each trade: its cash, plus the shares then held at the trade's own price.
    assert_eq!(recorded[1].1, buy.cash_after.amount());
    assert_eq!(recorded[1].2, buy.cash_after.amount() + buy.price.amount() * Decimal::from(10));
    assert_eq!(recorded[2].2, sell.cash_after.amount() + sell.price.amount() * Decimal::from(6));

    let points = value_history(&app, &client).await;
    let values: Vec<Decimal> = points.iter().map(|point| point.price.amount()).collect();
    assert_eq!(values, recorded.iter().map(|(_, _, total)| *total).collect::<Vec<_>>(), "the chart is the record");
    assert!(points.windows(2).all(|pair| pair[0].at <= pair[1].at));
}

#[tokio::test]
async fn the_close_job_writes_one_close_per_portfolio_however_many_instances_run_it() {
    let app = TestApp::spawn_with_fixed_price("50.00").await;
    let (ann, ben) = (learner(&app, "ann").await, learner(&app, "ben").await);
    executed(order(&app, &ann, "MSFT", "buy", "20").await).await;
    let market = fixed_market("50.00", "50.00");

    // Today's portfolios have not lived through a close yet.
    assert_eq!(record_closes(&app.pool, &market, Utc::now()).await.unwrap(), 0);
    let tomorrow = Utc::now() + Duration::days(1);
    let (first, second) =
        tokio::join!(record_closes(&app.pool, &market, tomorrow), record_closes(&app.pool, &market, tomorrow));
    assert_eq!(first.unwrap() + second.unwrap(), 2, "one close each for ann and ben, from either run");
    assert_eq!(record_closes(&app.pool, &market, tomorrow).await.unwrap(), 0, "already recorded");

    let closes: Vec<(Decimal, Decimal)> =
        sqlx::query_as("SELECT cash, total_value FROM portfolio_snapshots WHERE kind = 'close' ORDER BY cash")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    // ann: 9,000 of cash and 20 MSFT at 50; ben: all cash.
    assert_eq!(closes, [(Decimal::from(9_000), Decimal::from(10_000)), (Decimal::from(10_000), Decimal::from(10_000))]);
    assert_eq!(value_history(&app, &ben).await.len(), 2, "ben's chart: the open and the close");
}

#[tokio::test]
async fn the_days_change_counts_a_purchase_from_its_price_not_from_yesterdays_close() {
    // Every symbol: $105 now against a previous close of $100.
    let app = TestApp::spawn_with_quote("105.00", "100.00").await;
    let client = learner(&app, "dora").await;
    executed(order(&app, &client, "AAPL", "buy", "10").await).await;
    let today = portfolio(&app, &client).await;
    assert_eq!(today.day_change.to_string(), "0.00", "bought at 105, still 105");

    // A holding from before the close moves from the close: 10 × (105 − 100).
    sqlx::query(
        "INSERT INTO holdings (portfolio_id, symbol, shares, average_price) SELECT id, 'KO', 10, 90 FROM portfolios",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let with_old_holding = portfolio(&app, &client).await;
    assert_eq!(with_old_holding.day_change.to_string(), "50.00");
    assert_eq!(with_old_holding.holdings.iter().find(|h| h.symbol == "KO").unwrap().day_change.to_string(), "50.00");

    // Selling the old holding today realizes its change: it still counts, though no longer held.
    executed(order(&app, &client, "KO", "sell", "10").await).await;
    let after_sale = portfolio(&app, &client).await;
    assert_eq!((after_sale.day_change.to_string(), after_sale.holdings.len()), ("50.00".into(), 1));
}

#[tokio::test]
async fn the_ledger_pages_and_filters_the_callers_own_trades() {
    let app = TestApp::spawn_with_fixed_price("10.00").await;
    let client = learner(&app, "lena").await;
    for round in 0..11 {
        executed(order(&app, &client, if round % 2 == 0 { "AAPL" } else { "MSFT" }, "buy", "2").await).await;
        executed(order(&app, &client, "AAPL", "sell", "1").await).await;
    }
    let other = learner(&app, "otto").await;
    executed(order(&app, &other, "TSLA", "buy", "1").await).await;

    let first = ledger(&app, &client, "1", "", "").await;
    assert_eq!((first.matching, first.pages, first.entries.len()), (22, 2, 20));
    assert!(first.entries.windows(2).all(|pair| pair[0].executed_at >= pair[1].executed_at), "newest first");
    assert_eq!(first.entries[0].side.as_str(), "sell");
    let second = ledger(&app, &client, "2", "", "").await;
    assert_eq!(second.entries.len(), 2);
    assert_eq!(ledger(&app, &client, "99", "", "").await.page, 2, "clamped to the last page");
    assert_eq!(ledger(&app, &client, "abc", "", "").await.page, 1);

    let msft = ledger(&app, &client, "1", "msft", "").await;
    assert_eq!(msft.matching, 5);
    assert!(msft.entries.iter().all(|e| e.symbol == "MSFT"));
    let sells = ledger(&app, &client, "1", "AAPL", "sell").await;
    assert_eq!(sells.matching, 11);
    assert!(ledger(&app, &client, "1", "TSLA", "").await.entries.is_empty(), "otto's trade is not lena's");

    let bad_side =
        rejected(app.call_as(&client, "trade_history", &[("page", "1"), ("symbol", ""), ("side", "short")]).await)
            .await;
    assert!(bad_side.message_for("side").is_some(), "{bad_side:?}");
    let bad_symbol =
        rejected(app.call_as(&client, "trade_history", &[("page", "1"), ("symbol", "$$$"), ("side", "")]).await).await;
    assert!(bad_symbol.message_for("symbol").is_some(), "{bad_symbol:?}");
    let signed_out = app.call_as(&browser(), "trade_history", &[("page", "1"), ("symbol", ""), ("side", "")]).await;
    assert_eq!(signed_out.status(), 401);
}

#[tokio::test]
async fn the_csv_export_holds_the_whole_ledger_and_only_for_its_owner() {
    let app = TestApp::spawn_with_fixed_price("12.50").await;
    let client = learner(&app, "cara").await;
    for _ in 0..3 {
        executed(order(&app, &client, "NVDA", "buy", "4").await).await;
    }
    executed(order(&app, &client, "NVDA", "sell", "5").await).await;
    let other = learner(&app, "olaf").await;
    executed(order(&app, &other, "TSLA", "buy", "1").await).await;

    let response = client.get(format!("{}/history.csv", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"papertrade-trades-"), "{disposition}");
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "executed_at,symbol,side,quantity,price,amount,realized_pnl,cash_after,trade_id,commission,why"
    );
    assert!(lines[1..].iter().all(|line| line.ends_with(",0.00,")), "no commission, no open order:\n{body}");
    assert_eq!(lines.len(), 5, "a header and four trades:\n{body}");
    assert!(lines[1..].iter().all(|line| line.split(',').nth(1) == Some("NVDA")));
    let sell: Vec<&str> = lines[1].split(',').collect();
    assert_eq!((sell[2], sell[3], sell[5], sell[6], sell[7]), ("sell", "5", "62.50", "0.00", "9912.50"));
    assert_eq!(lines[2].split(',').nth(6), Some(""), "no realized P&L on a buy");

    let signed_out = browser().get(format!("{}/history.csv", app.address)).send().await.unwrap();
    assert!(signed_out.status().is_redirection());
    assert_eq!(signed_out.headers()["location"], "/login?next=/history");
}

#[tokio::test]
async fn starting_over_needs_confirmation_and_puts_the_old_portfolio_away() {
    let app = TestApp::spawn_with_fixed_price("20.00").await;
    let client = learner(&app, "rosa").await;
    executed(order(&app, &client, "AMZN", "buy", "50").await).await;
    let bystander = learner(&app, "bert").await;
    executed(order(&app, &bystander, "AMZN", "buy", "5").await).await;

    let unconfirmed = rejected(app.call_as(&client, "reset_portfolio", &[]).await).await;
    assert!(unconfirmed.message_for("confirm").is_some(), "{unconfirmed:?}");
    assert_eq!(portfolio(&app, &client).await.cash.to_string(), "9000.00", "nothing changed");

    let reset = app.call_as(&client, "reset_portfolio", &[("confirm", "yes")]).await;
    assert!(reset.status().is_success() || reset.status().is_redirection(), "{}", reset.status());
    let fresh = portfolio(&app, &client).await;
    assert_eq!((fresh.cash.to_string(), fresh.holdings.len()), ("10000.00".into(), 0));
    assert_eq!(ledger(&app, &client, "1", "", "").await.matching, 0, "the old ledger is out of the new view");
    assert_eq!(value_history(&app, &client).await.len(), 1, "a new history: just the open");

    let (archived, kept_trades): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE archived_at IS NOT NULL), (SELECT count(*) FROM trades) FROM portfolios",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((archived, kept_trades), (1, 2), "the old portfolio and its trade are kept, archived");
    assert_eq!(portfolio(&app, &bystander).await.cash.to_string(), "9900.00", "bert is untouched");
    executed(order(&app, &client, "AMZN", "buy", "1").await).await;
    assert_eq!(ledger(&app, &client, "1", "", "").await.matching, 1, "trading goes on in the new portfolio");
}
