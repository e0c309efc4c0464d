//! Watching a running instance: `GET /metrics` (request latencies by route template, orders,
//! sign-ins, pool and event-stream gauges, and who may scrape) and JSON logs that carry the
//! request id of the response header (the real binary, run as a process).

use crate::auth::{sign_up, PASSWORD};
use crate::fake_provider::{FakeProvider, Person};
use crate::harness::{browser, fresh_database_url, TestApp};
use crate::live::EventReader;
use crate::oauth::{app_with, sign_in_with};
use crate::trading::{executed, learner, order, order_with_key, rejected};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// One scrape, parsed: every sample line as its name, labels and value.
struct Scrape {
    text: String,
    samples: Vec<(String, HashMap<String, String>, f64)>,
}

impl Scrape {
    async fn of(app: &TestApp) -> Scrape {
        let response = app.get("/metrics").await;
        assert_eq!(response.status(), 200, "a loopback client may scrape by default");
        assert_eq!(response.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
        let text = response.text().await.unwrap();
        let samples =
            text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()).map(parse_sample).collect();
        Scrape { text, samples }
    }

    /// The value of the series `name` whose labels include `labels`; 0 when there is none.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let matching: Vec<f64> = self
            .samples
            .iter()
            .filter(|(sample, have, _)| {
                sample == name && labels.iter().all(|(key, value)| have.get(*key).map(String::as_str) == Some(*value))
            })
            .map(|(_, _, value)| *value)
            .collect();
        assert!(matching.len() <= 1, "{name} {labels:?} names one series, not {}", matching.len());
        matching.first().copied().unwrap_or(0.0)
    }
}

/// `name{key="value",…} 1.5` → its parts (label values here never hold quotes or commas).
fn parse_sample(line: &str) -> (String, HashMap<String, String>, f64) {
    let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
    let (name, labels) = match series.split_once('{') {
        Some((name, rest)) => (name, rest.trim_end_matches('}')),
        None => (series, ""),
    };
    let labels = labels
        .split(',')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("label=value");
            (key.to_owned(), value.trim_matches('"').to_owned())
        })
        .collect();
    (name.to_owned(), labels, value.parse().expect("a number"))
}

const LATENCY: &str = "papertrade_http_request_duration_seconds";
const ORDERS: &str = "papertrade_orders_total";
const LOGINS: &str = "papertrade_logins_total";

#[tokio::test]
async fn requests_are_timed_under_their_route_template_never_their_raw_path() {
    let app = TestApp::spawn().await;

    assert_eq!(app.get("/stocks/AAPL").await.status(), 200);
    assert_eq!(app.get("/stocks/MSFT").await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/no/such/page/7f3a").await.status(), 404);
    let metrics = Scrape::of(&app).await;

    let count = format!("{LATENCY}_count");
    let stock_pages = [("method", "GET"), ("route", "/stocks/{symbol}"), ("status", "2xx")];
    assert_eq!(metrics.value(&count, &stock_pages), 2.0, "{}", metrics.text);
    assert_eq!(metrics.value(&count, &[("route", "/healthz"), ("status", "2xx")]), 1.0);
    assert_eq!(metrics.value(&count, &[("route", "unmatched"), ("status", "4xx")]), 1.0);
    assert!(metrics.text.contains(&format!("# TYPE {LATENCY} histogram")));
    let slowest_bucket = [("route", "/stocks/{symbol}"), ("le", "+Inf")];
    assert_eq!(metrics.value(&format!("{LATENCY}_bucket"), &slowest_bucket), 2.0);
    for raw in ["/stocks/AAPL", "/stocks/MSFT", "7f3a"] {
        assert!(!metrics.text.contains(raw), "the raw path {raw} became a label");
    }
}

#[tokio::test]
async fn each_order_is_counted_once_executed_or_rejected_by_reason() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let client = learner(&app, "ada").await;
    let before = Scrape::of(&app).await;

    let key = Uuid::new_v4().to_string();
    executed(order_with_key(&app, &client, "AAPL", "buy", "1", &key).await).await;
    let replay = executed(order_with_key(&app, &client, "AAPL", "buy", "1", &key).await).await;
    assert!(replay.replayed, "a retried order returns the first execution");
    rejected(order(&app, &client, "AAPL", "buy", "1000").await).await;
    rejected(order(&app, &client, "MSFT", "sell", "1").await).await;
    rejected(order(&app, &client, "NOPE", "buy", "1").await).await;
    let after = Scrape::of(&app).await;

    let moved = |labels: &[(&str, &str)]| after.value(ORDERS, labels) - before.value(ORDERS, labels);
    assert_eq!(moved(&[("outcome", "executed"), ("reason", "none")]), 1.0, "the replay is not a second execution");
    for (reason, expected) in
        [("insufficient_cash", 1.0), ("insufficient_shares", 1.0), ("unknown_symbol", 1.0), ("too_large", 0.0)]
    {
        assert_eq!(moved(&[("outcome", "rejected"), ("reason", reason)]), expected, "{reason}");
    }
    assert!(after.text.contains(r#"papertrade_orders_total{outcome="rejected",reason="market_closed"} 0"#));
}

#[tokio::test]
async fn password_and_guest_sign_ins_are_counted_by_result() {
    let app = TestApp::spawn().await;
    let client = browser();
    sign_up(&app, &client, "ada@example.com", "ada").await;
    app.call_as(&client, "log_out", &[]).await;
    let before = Scrape::of(&app).await;

    let wrong = app.call_as(&client, "log_in", &[("email", "ada@example.com"), ("password", "not it at all")]).await;
    assert_eq!(wrong.status(), 400);
    let right = app.call_as(&client, "log_in", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert!(right.status().is_success(), "{}", right.status());
    let guest = app.call_as(&browser(), "start_guest", &[]).await;
    assert!(guest.status().is_success(), "{}", guest.status());
    let after = Scrape::of(&app).await;

    let moved = |method: &str, result: &str| {
        let labels = [("method", method), ("result", result)];
        after.value(LOGINS, &labels) - before.value(LOGINS, &labels)
    };
    assert_eq!(moved("password", "failed"), 1.0);
    assert_eq!(moved("password", "succeeded"), 1.0, "signing up is not counted as a sign-in");
    assert_eq!(moved("guest", "succeeded"), 1.0);
    assert_eq!(moved("google", "succeeded"), 0.0);
}

#[tokio::test]
async fn provider_sign_ins_are_counted_under_the_provider() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-300", "grace@example.com", true));
    let app = app_with(&fake).await;

    assert_eq!(sign_in_with(&app, &browser(), "google").await.status(), 303);
    let declined = browser().get(format!("{}/auth/google/callback?error=access_denied", app.address)).send().await;
    assert!(declined.unwrap().status().is_client_error());
    let metrics = Scrape::of(&app).await;

    assert_eq!(metrics.value(LOGINS, &[("method", "google"), ("result", "succeeded")]), 1.0);
    assert_eq!(metrics.value(LOGINS, &[("method", "google"), ("result", "failed")]), 1.0);
    assert_eq!(metrics.value(LOGINS, &[("method", "github"), ("result", "succeeded")]), 0.0);
}

#[tokio::test]
async fn pool_gauges_are_read_at_scrape_time() {
    let app = TestApp::spawn_with(&[("DATABASE_MAX_CONNECTIONS", "7")]).await;
    let before = Scrape::of(&app).await;

    let held = app.pool.acquire().await.unwrap();
    let during = Scrape::of(&app).await;
    drop(held);

    let in_use = [("state", "in_use")];
    assert_eq!(
        during.value("papertrade_db_pool_connections", &in_use),
        before.value("papertrade_db_pool_connections", &in_use) + 1.0
    );
    assert!(during.text.contains(r#"papertrade_db_pool_connections{state="idle"}"#), "{}", during.text);
    assert_eq!(during.value("papertrade_db_pool_max_connections", &[]), 7.0);
}

#[tokio::test]
async fn the_event_stream_gauge_counts_streams_while_they_are_open() {
    let app = TestApp::spawn().await;
    let ada = learner(&app, "ada").await;
    let open = |scrape: &Scrape| scrape.value("papertrade_event_streams_open", &[]);
    assert_eq!(open(&Scrape::of(&app).await), 0.0);

    let mut stream = EventReader::open(&app, &ada, None).await;
    assert!(stream.next_within(Duration::from_secs(5)).await.is_some(), "the stream is ready");
    assert_eq!(open(&Scrape::of(&app).await), 1.0);
    drop(stream);

    let deadline = Instant::now() + Duration::from_secs(10);
    while open(&Scrape::of(&app).await) != 0.0 {
        assert!(Instant::now() < deadline, "the gauge falls back when the page goes away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_metrics_token_is_required_when_one_is_set() {
    let token = "scrape-token-0123456789";
    let app = TestApp::spawn_with(&[("METRICS_TOKEN", token)]).await;
    let scrape = |authorization: Option<String>| {
        let mut request = app.client.get(format!("{}/metrics", app.address));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.send()
    };

    let without = scrape(None).await.unwrap();
    assert_eq!(without.status(), 401);
    assert_eq!(without.headers()["www-authenticate"], r#"Bearer realm="metrics""#);
    assert_eq!(scrape(Some("Bearer not-the-token-at-all".into())).await.unwrap().status(), 401);
    let with = scrape(Some(format!("Bearer {token}"))).await.unwrap();
    assert_eq!(with.status(), 200);
    assert!(with.text().await.unwrap().contains("papertrade_orders_total"));
}

#[tokio::test]
async fn clients_outside_the_allowed_addresses_are_refused() {
    let listed = TestApp::spawn_with(&[("METRICS_ALLOW", "10.0.0.0/8")]).await;
    assert_eq!(listed.get("/metrics").await.status(), 403, "loopback is not in 10.0.0.0/8");

    let default = TestApp::spawn().await;
    let proxied = default.client.get(format!("{}/metrics", default.address)).header("x-forwarded-for", "203.0.113.9");
    let refused = proxied.send().await.unwrap();
    assert_eq!(refused.status(), 403, "by default a request a local proxy forwarded is refused");
    assert!(refused.text().await.unwrap().contains("METRICS_TOKEN or METRICS_ALLOW"));
}

#[tokio::test]
async fn our_proxys_own_header_means_a_metrics_request_is_not_local() {
    // Our proxy on this host sets only the header it was told to (no X-Forwarded-For).
    let app = TestApp::spawn_with(&[("TRUSTED_PROXY_HEADER", "X-Client-Address")]).await;
    let proxied = app.client.get(format!("{}/metrics", app.address)).header("x-client-address", "203.0.113.9");
    assert_eq!(proxied.send().await.unwrap().status(), 403, "a client of the proxy is not on this host");
    assert_eq!(app.get("/metrics").await.status(), 200, "a direct local scrape still works");
}

#[tokio::test]
async fn a_providers_error_parameter_cannot_forge_a_log_line() {
    let mut server = Server::start_with(
        &fresh_database_url().await,
        &[("LOG_FORMAT", "text"), ("GOOGLE_CLIENT_ID", "id"), ("GOOGLE_CLIENT_SECRET", "secret")],
    );
    let forged = "access_denied\n2026-12-03T00:00:00Z  INFO papertrade: forged admin signed in";
    let callback = reqwest::Url::parse_with_params(
        &format!("{}/auth/google/callback", server.address),
        &[("error", forged), ("state", "x")],
    )
    .unwrap();
    let page = reqwest::Client::new().get(callback).send().await.unwrap();
    assert_eq!(page.status(), 400);

    let refused = server.wait_for_text(Duration::from_secs(10), |line| line.contains("provider sign-in refused"));
    assert!(refused.contains("access_denied?2026-12-03T00:00:00Z  INFO papertrade: forged"), "{refused}");
    // Whatever came after, no line of the log starts with the forged text.
    let _ = reqwest::get(format!("{}/healthz", server.address)).await.unwrap();
    server.wait_for_text(Duration::from_secs(10), |line| line.contains("/healthz"));
    assert!(!server.seen.iter().any(|line| line.starts_with("2026-12-03T00:00:00Z")), "{:#?}", server.seen);
}

/// The real binary serving with `LOG_FORMAT=json`; killed when dropped.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    address: String,
    seen: Vec<String>,
}

impl Server {
    fn start(database_url: &str) -> Server {
        Server::start_with(database_url, &[])
    }

    /// Like [`Server::start`], with more (or other) variables; `LOG_FORMAT=text` is not for
    /// [`Server::wait_for`], which reads JSON.
    fn start_with(database_url: &str, vars: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_papertrade"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("HOST", "127.0.0.1")
            .env("PORT", "0")
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .envs(vars.iter().copied())
            .current_dir(std::env::temp_dir()) // no .env file there
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, lines, address: String::new(), seen: Vec::new() };
        let serving = server.wait_for_text(Duration::from_secs(60), |line| line.contains("serving on http://"));
        let at = serving.find("serving on ").unwrap() + "serving on ".len();
        server.address = serving[at..].split(['"', ' ']).next().unwrap().to_owned();
        server
    }

    /// The first log line, as written, that `wanted` accepts.
    fn wait_for_text(&mut self, within: Duration, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                panic!("no such log line within {within:?}; saw:\n{}", self.seen.join("\n"));
            };
            self.seen.push(line.clone());
            if wanted(&line) {
                return line;
            }
        }
    }

    /// The first log line (parsed) that `wanted` accepts; every line must be one JSON object.
    fn wait_for(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
        let parse = |line: &str| -> Value {
            let parsed: Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not one JSON object: {line}"));
            for key in ["timestamp", "level", "target", "message"] {
                assert!(parsed.get(key).is_some(), "{key} missing from {line}");
            }
            parsed
        };
        parse(&self.wait_for_text(within, |line| wanted(&parse(line))))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn json_log_lines_carry_the_request_id_of_the_response() {
    let mut server = Server::start(&fresh_database_url().await);
    let client = reqwest::Client::new();

    // A handler that logs: the event stream refuses a cross-site page and says so.
    let chosen = format!("obs-{}", Uuid::new_v4().simple());
    let refused = client
        .get(format!("{}/events", server.address))
        .header("x-request-id", &chosen)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.headers()["x-request-id"], chosen.as_str());
    let logged =
        server.wait_for(Duration::from_secs(10), |line| line["message"] == "refused a cross-site event stream");
    assert_eq!(logged["spans"][0]["request_id"], chosen.as_str());
    assert_eq!(logged["level"], "WARN");
    assert_eq!(logged["target"], "papertrade::server::live::route");

    // An id the server made up is the one in the header and in the request's log line.
    let answered = client.get(format!("{}/healthz", server.address)).send().await.unwrap();
    let generated = answered.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(Uuid::parse_str(&generated).is_ok(), "a generated id is a UUID: {generated}");
    let finished =
        server.wait_for(Duration::from_secs(10), |line| line["spans"][0]["request_id"] == generated.as_str());
    assert_eq!(finished["spans"][0]["path"], "/healthz");
}

#[tokio::test]
async fn without_a_relay_letters_are_logged_in_development_and_dropped_loudly_on_an_https_deployment() {
    let mut development = Server::start(&fresh_database_url().await);
    development.wait_for(Duration::from_secs(10), |line| {
        line["message"].as_str().is_some_and(|m| m.contains("mail is not configured"))
    });
    let sign_up = |address: &str| {
        let form = [("email", "lin@example.com"), ("username", "lin"), ("password", PASSWORD)];
        reqwest::Client::new().post(format!("{address}/api/sign_up")).form(&form).send()
    };
    assert!(sign_up(&development.address).await.unwrap().status().is_success());
    let letter = development.wait_for(Duration::from_secs(10), |line| {
        line["subject"].as_str().is_some_and(|subject| subject.starts_with("Confirm your email"))
    });
    let body = letter["body"].as_str().unwrap();
    assert!(body.contains("/verify-email?token="), "the developer can follow the link: {body}");
    assert_eq!(letter["to"], "lin@example.com");

    let mut public = Server::start_with(&fresh_database_url().await, &[("PUBLIC_URL", "https://papertrade.example")]);
    let off = public
        .wait_for(Duration::from_secs(10), |line| line["message"].as_str().is_some_and(|m| m.contains("MAIL IS OFF")));
    assert_eq!(off["level"], "ERROR");
    assert!(sign_up(&public.address).await.unwrap().status().is_success(), "sign-up works without mail");
    public.wait_for(Duration::from_secs(10), |line| {
        line["message"].as_str().is_some_and(|m| m.contains("a letter was not sent"))
    });
    assert!(!public.seen.iter().any(|line| line.contains("token=")), "no link in a production log");
}
