//! Database failures in the middle of requests: every answer has a real status, a failed page is a
//! styled page, a failed server function is our opaque JSON error, and no answer ever carries
//! database text. The server recovers by itself, and the ledger's money invariants still hold.

use crate::harness::{browser, TestApp};
use futures_util::FutureExt;
use papertrade::wire::AppError;
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Text that would mean database or driver internals reached the client.
const INTERNAL_TEXT: [&str; 12] = [
    "sqlx",
    "sqlstate",
    "terminating connection",
    "error returned from database",
    "error communicating with database",
    "pool timed out",
    "pg_",
    "relation ",
    "duplicate key",
    "violates",
    "postgres",
    "tower_sessions",
];

/// The money invariants of the ledger, as scripts/faults.sh checks them after a kill -9.
pub const LEDGER_INVARIANTS: &str = include_str!("../../scripts/ledger-invariants.sql");

/// What each worker asks for, round and round: server functions and pages that read and write.
const REQUESTS: [&str; 9] = [
    "POST my_portfolio",
    "POST place_order",
    "POST trade_history",
    "POST notifications",
    "POST current_user",
    "POST unread_count",
    "GET /dashboard",
    "GET /history",
    "GET /history.csv",
];

struct Answer {
    request: &'static str,
    status: u16,
    body: String,
}

async fn ask(address: &str, client: &reqwest::Client, request: &'static str, round: u64) -> Answer {
    let (method, target) = request.split_once(' ').unwrap();
    let sent = if method == "GET" {
        client.get(format!("{address}{target}")).send().await
    } else {
        let key = Uuid::new_v4().to_string();
        let side = if round.is_multiple_of(2) { "buy" } else { "sell" };
        let form: Vec<(&str, &str)> = match target {
            "place_order" => vec![("symbol", "AAPL"), ("side", side), ("quantity", "1"), ("idempotency_key", &key)],
            "trade_history" => vec![("page", "1"), ("symbol", ""), ("side", "")],
            _ => vec![],
        };
        client.post(format!("{address}/api/{target}")).form(&form).send().await
    };
    let response = sent.expect("the server answers (it never drops a connection)");
    let status = response.status().as_u16();
    Answer { request, status, body: response.text().await.unwrap_or_default() }
}

async fn guest(app: &TestApp) -> reqwest::Client {
    let client = browser();
    let response = app.call_as(&client, "start_guest", &[]).await;
    assert!(response.status().is_success() || response.status().is_redirection(), "guest: {}", response.status());
    client
}

/// `body` without its CSP nonce, whose random letters could spell a marker ("…pg_…").
fn without_nonce(body: &str) -> String {
    let nonce = body.split_once("nonce=\"").and_then(|(_, rest)| rest.split_once('"')).map(|(nonce, _)| nonce);
    match nonce {
        Some(nonce) if !nonce.is_empty() => body.replace(nonce, ""),
        _ => body.to_owned(),
    }
}

/// Every answer's status and body are what a client may see; returns how many were 5xx.
fn assert_clean(answers: &[Answer]) -> usize {
    let mut failures = 0;
    for Answer { request, status, body } in answers {
        let lower = without_nonce(body).to_lowercase();
        if let Some(leak) = INTERNAL_TEXT.iter().find(|text| lower.contains(*text)) {
            panic!("{request} answered {status} with internal text {leak:?}: {body}");
        }
        match status {
            200 | 400 => {}
            500 | 503 => {
                failures += 1;
                if request.starts_with("POST") {
                    let error: AppError = serde_json::from_str(body)
                        .unwrap_or_else(|_| panic!("{request} answered {status} without our JSON error: {body:?}"));
                    assert!(matches!(error, AppError::Internal | AppError::Unavailable), "{request}: {error:?}");
                    assert_eq!(error.status(), *status, "{request}");
                } else {
                    // Our error page when the request failed before the page was rendered; the
                    // page itself, with the failed part's alert, when its data failed while the
                    // page was rendering (a server function sets the status if the headers have
                    // not gone yet).
                    let error_page = body.contains("error-page");
                    let page_with_alert = body.contains(r#"role="alert""#) && body.contains("could not be");
                    assert!(body.contains("papertrade.css"), "{request} {status}: a styled page, got {body:?}");
                    assert!(
                        error_page || page_with_alert,
                        "{request} {status}: an error page or an alert, got {body:?}"
                    );
                }
            }
            other => panic!("{request} answered {other}: {body}"),
        }
    }
    failures
}

async fn ledger_violations(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as(LEDGER_INVARIANTS).fetch_all(&app.pool).await.expect("the invariants query runs")
}

#[tokio::test]
async fn connections_killed_mid_request_never_leak_database_text() {
    let app = TestApp::spawn_with_fixed_price("1.00").await;
    let mut clients = Vec::new();
    for _ in 0..6 {
        clients.push(guest(&app).await);
    }

    // Another session kills every other connection to the database, over and over.
    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicU64::new(0));
    let killer = tokio::spawn({
        let (stop, killed) = (stop.clone(), killed.clone());
        let options = app.state.config.database.0.clone();
        async move {
            let mut conn = PgConnection::connect_with(&options).await.expect("the killer connects");
            while !stop.load(Ordering::Relaxed) {
                let count: i64 = sqlx::query_scalar(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .fetch_one(&mut conn)
                .await
                .expect("the killer survives");
                killed.fetch_add(u64::try_from(count).unwrap_or(0), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    });
    let mut workers = tokio::task::JoinSet::new();
    for (n, client) in clients.iter().enumerate() {
        let (address, client, stop) = (app.address.clone(), client.clone(), stop.clone());
        workers.spawn(async move {
            let mut answers = Vec::new();
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let request = REQUESTS[(round as usize + n) % REQUESTS.len()];
                answers.push(ask(&address, &client, request, round / REQUESTS.len() as u64).await);
                round += 1;
            }
            answers
        });
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::Relaxed);
    killer.await.unwrap();
    let answers: Vec<Answer> = workers.join_all().await.into_iter().flatten().collect();

    let failures = assert_clean(&answers);
    let succeeded = answers.iter().filter(|a| a.status == 200).count();
    let mut tally = std::collections::BTreeMap::<(&str, u16), usize>::new();
    for answer in &answers {
        *tally.entry((answer.request, answer.status)).or_default() += 1;
    }
    eprintln!(
        "{} answers under fire: {succeeded} ok, {failures} failed cleanly; {} connections killed; {tally:?}",
        answers.len(),
        killed.load(Ordering::Relaxed)
    );
    assert!(killed.load(Ordering::Relaxed) > 0, "connections were killed");
    assert!(failures > 0, "some requests met a killed connection");
    assert!(succeeded > 0, "requests between the kills succeeded");

    // Once the killing stops, everything works again without a restart.
    let started = Instant::now();
    for client in &clients {
        for request in REQUESTS {
            let answer = ask(&app.address, client, request, 0).await;
            assert_clean(std::slice::from_ref(&answer));
            assert_eq!(answer.status, 200, "{request} works again: {}", answer.body);
        }
    }
    eprintln!("works again after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(10), "works again after {:?}", started.elapsed());
    assert_eq!(ledger_violations(&app).await, vec![], "the ledger's money invariants hold");
}

#[tokio::test]
async fn a_session_request_while_the_database_is_unreachable_is_a_quick_503() {
    let app = TestApp::spawn_without_database().await; // acquire timeout: 1 s
                                                       // A well-formed session id, so the session layer must ask the database.
    let cookie = "papertrade_session=AAAAAAAAAAAAAAAAAAAAAA";

    for (method, path) in [("POST", "/api/my_portfolio"), ("POST", "/api/place_order"), ("GET", "/dashboard")] {
        let started = Instant::now();
        let request = if method == "GET" {
            app.client.get(format!("{}{path}", app.address))
        } else {
            app.client.post(format!("{}{path}", app.address))
        };
        let response = request.header("cookie", cookie).send().await.unwrap();
        let elapsed = started.elapsed();

        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "5");
        assert!(elapsed < Duration::from_secs(3), "{path} answered after {elapsed:?}, not within the acquire timeout");
        let body = response.text().await.unwrap();
        if method == "POST" {
            assert_eq!(serde_json::from_str::<AppError>(&body).unwrap(), AppError::Unavailable, "{path}");
        } else {
            assert!(body.contains("Papertrade is catching its breath") && body.contains("error-page"), "{body}");
        }
    }
}

#[tokio::test]
async fn a_page_whose_session_cannot_be_read_is_a_styled_500() {
    let app = TestApp::spawn().await;
    let client = guest(&app).await;
    // The session table is there, but its rows cannot be decoded: not a database outage.
    sqlx::query("UPDATE tower_sessions.session SET data = '\\x00'").execute(&app.pool).await.unwrap();

    let page = client.get(format!("{}/dashboard", app.address)).send().await.unwrap();
    assert_eq!(page.status(), 500);
    let html = page.text().await.unwrap();
    assert!(html.contains("Something went wrong on our side") && html.contains("papertrade.css"), "{html}");
    let call = app.call_as(&client, "my_portfolio", &[]).await;
    assert_eq!(call.status(), 500);
    assert_eq!(call.json::<AppError>().await.unwrap(), AppError::Internal);
}

#[tokio::test]
async fn the_ledger_invariants_hold_for_the_sample_data_and_catch_a_broken_balance() {
    let app = TestApp::spawn().await;
    crate::harness::seed(&app.pool).await;
    assert_eq!(ledger_violations(&app).await, vec![]);

    sqlx::query(
        "UPDATE portfolios SET cash_balance = cash_balance + 1 WHERE id = (SELECT portfolio_id FROM trades LIMIT 1)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let violations: Vec<String> = ledger_violations(&app).await.into_iter().map(|(what, _, _)| what).collect();
    assert!(violations.contains(&"cash_balance is not starting_cash - buys + sells".to_owned()), "{violations:?}");
    assert!(violations.contains(&"cash_after chain is broken".to_owned()), "{violations:?}");
}

/// The transactions on the pool's one connection that are open while nobody uses it.
async fn idle_in_transaction(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_transaction_whose_caller_hangs_up_during_begin_leaves_no_open_transaction_behind() {
    let app = TestApp::spawn().await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(app.pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    sqlx::query("SELECT 1").execute(&pool).await.unwrap();

    for polls in [1, 2, 3, 4, 5, 6].repeat(3) {
        // Polled until BEGIN is sent (the first poll checks the pooled connection, the second,
        // once that answer is in, sends BEGIN), and dropped before its answer is read: a client
        // that hung up, a request past its deadline.
        let mut begin = Box::pin(papertrade::server::platform::db::begin(&pool));
        for _ in 0..polls {
            if (&mut begin).now_or_never().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        drop(begin);

        // The next user of the connection (a session lookup, say) gets it outside any
        // transaction: its statement is committed, not left open.
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        assert_eq!(idle_in_transaction(&app).await, 0, "after {polls} polls");
        // And a transaction after it starts afresh.
        let mut tx = papertrade::server::platform::db::begin(&pool).await.unwrap();
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await.unwrap();
        tx.rollback().await.unwrap();
    }
}
