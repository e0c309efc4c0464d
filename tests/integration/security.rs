//! Security hardening over HTTP: the headers on every kind of response, the CSP nonce shared by
//! header and scripts, the body-size limit and request timeout, and the per-client rate limit
//! with its client address (TCP peer by default, a trusted proxy header only when configured).

use crate::harness::{browser, TestApp};
use crate::live::EventReader;
use crate::trading::{executed, learner, order};
use papertrade::wire::AppError;
use sqlx::Connection;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The `script-src` directive of a response's Content-Security-Policy.
fn script_src(response: &reqwest::Response) -> String {
    let policy = response.headers()["content-security-policy"].to_str().unwrap();
    policy.split(';').map(str::trim).find(|directive| directive.starts_with("script-src")).unwrap().to_owned()
}

/// The nonce a response's policy allows scripts with.
fn policy_nonce(response: &reqwest::Response) -> String {
    let script_src = script_src(response);
    let nonce = script_src.split_whitespace().find_map(|source| source.strip_prefix("'nonce-"));
    nonce.expect("script-src names a nonce").trim_end_matches('\'').to_owned()
}

fn assert_security_headers(what: &str, response: &reqwest::Response) {
    let headers = response.headers();
    let policy = headers.get("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP")).to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ] {
        assert!(policy.split(';').any(|d| d.trim() == directive), "{what}: {directive:?} missing from {policy}");
    }
    let script_src = script_src(response);
    assert!(script_src.starts_with("script-src 'self' 'nonce-"), "{what}: {script_src}");
    assert!(script_src.contains("'wasm-unsafe-eval'"), "{what}: {script_src}");
    assert!(!script_src.contains("unsafe-inline"), "{what}: {script_src}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
    let permissions = headers["permissions-policy"].to_str().unwrap();
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"] {
        assert!(permissions.contains(feature), "{what}: {feature} missing from {permissions}");
    }
    assert!(!headers.contains_key("strict-transport-security"), "{what}: HSTS over plain http");
}

/// A site root holding one compiled asset, as cargo-leptos would leave it.
fn site_root_with_an_asset() -> PathBuf {
    let root = std::env::temp_dir().join(format!("pt-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/probe.css"), "body { color: black; }\n").unwrap();
    root
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let site_root = site_root_with_an_asset();
    let app = TestApp::spawn_with(&[("LEPTOS_SITE_ROOT", site_root.to_str().unwrap())]).await;
    let ada = learner(&app, "ada").await;

    let page = app.get("/").await;
    let server_fn = app.call("platform_stats", &[]).await;
    let not_found = app.get("/no-such-page").await;
    let asset = app.get("/pkg/probe.css").await;
    let refused = app.client.post(format!("{}/api/log_out", app.address)).header("origin", "https://evil.example");
    let refused = refused.send().await.unwrap();
    let events = ada.get(format!("{}/events", app.address)).send().await.unwrap();

    assert_eq!(
        [page.status(), server_fn.status(), not_found.status(), asset.status(), refused.status(), events.status()]
            .map(|s| s.as_u16()),
        [200, 200, 404, 200, 403, 200]
    );
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert_eq!(asset.headers()["content-type"], "text/css");
    for (what, response) in [
        ("page", &page),
        ("server fn", &server_fn),
        ("404", &not_found),
        ("static file", &asset),
        ("refusal", &refused),
        ("event stream", &events),
    ] {
        assert_security_headers(what, response);
    }
    std::fs::remove_dir_all(site_root).ok();
}

#[tokio::test]
async fn every_script_in_a_page_carries_the_nonce_of_its_policy_and_the_nonce_is_fresh() {
    let app = TestApp::spawn().await;

    // The landing page streams in order; the log-in page out of order (its resolved parts arrive
    // as scripts after the shell).
    for path in ["/", "/login", "/no-such-page"] {
        let first = app.get(path).await;
        let second = app.get(path).await;
        let (nonce, other_nonce) = (policy_nonce(&first), policy_nonce(&second));
        assert_ne!(nonce, other_nonce, "{path}: a fresh nonce per request");
        assert!(nonce.len() >= 22, "{path}: at least 128 bits: {nonce}");

        let html = first.text().await.unwrap();
        let scripts: Vec<&str> = html.split("<script").skip(1).map(|rest| &rest[..rest.find('>').unwrap()]).collect();
        assert!(!scripts.is_empty(), "{path}: the page has its hydration script");
        for attributes in &scripts {
            assert!(
                attributes.contains(&format!(r#"nonce="{nonce}""#)),
                "{path}: <script{attributes}> lacks the nonce"
            );
        }
        assert!(!html.contains(" style=\""), "{path}: no inline style attribute (style-src has no 'unsafe-inline')");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_app_is_served_over_https() {
    let plain = TestApp::spawn().await;
    let secure = TestApp::spawn_with(&[("PUBLIC_URL", "https://papertrade.example")]).await;

    let over_http = plain.get("/").await;
    let over_https = secure.get("/").await;

    assert!(!over_http.headers().contains_key("strict-transport-security"));
    assert_eq!(over_https.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_413_and_a_clear_message() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(100 * 1024);

    let server_fn = app.call("log_in", &[("email", &huge), ("password", "whatever")]).await;
    let plain_route = app.client.post(format!("{}/auth/logout", app.address)).body(huge.clone()).send().await.unwrap();
    let within_limit = app.call("log_in", &[("email", "ada@example.com"), ("password", &"x".repeat(1000))]).await;

    assert_eq!(server_fn.status(), 413);
    assert_security_headers("413", &server_fn);
    let error: AppError = server_fn.json().await.expect("the server-fn client can decode it");
    assert_eq!(error, AppError::Invalid("the request is too large: at most 64 KiB may be sent".into()));
    assert_eq!(plain_route.status(), 413);
    assert_eq!(plain_route.text().await.unwrap(), "The request is too large: at most 64 KiB may be sent.");
    assert_eq!(within_limit.status(), 400, "a normal body reaches the server function (wrong password)");
}

#[tokio::test]
async fn a_chunked_body_over_64_kib_is_refused_with_413_as_well() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    let socket = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://")).await.unwrap();
    let (mut reader, mut writer) = socket.into_split();

    // No Content-Length: the size shows only while reading, 16 KiB at a time up to 112 KiB.
    let sender = tokio::spawn(async move {
        let head = "POST /api/log_in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
                    Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
        let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "x".repeat(16 * 1024));
        let mut request = head.to_owned() + "5\r\nemail\r\n" + &chunk.repeat(7);
        request.push_str("0\r\n\r\n");
        // The server may answer and close before it has read everything; that is fine.
        let _ = writer.write_all(request.as_bytes()).await;
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer)).await;
    sender.await.unwrap();

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("the request is too large: at most 64 KiB may be sent"), "{answer}");
}

#[tokio::test]
async fn a_request_that_does_not_start_answering_in_time_gets_503() {
    let app = TestApp::spawn_with(&[("REQUEST_TIMEOUT_SECS", "1")]).await;
    // Hold a lock the platform figures wait for, so that server function cannot answer.
    let mut blocker = sqlx::PgConnection::connect_with(&app.state.config.database.0).await.unwrap();
    let mut lock = blocker.begin().await.unwrap();
    sqlx::query("LOCK TABLE trades IN ACCESS EXCLUSIVE MODE").execute(&mut *lock).await.unwrap();

    let started = Instant::now();
    let call = app.client.post(format!("{}/api/platform_stats", app.address)).timeout(Duration::from_secs(10));
    let response = call.send().await.expect("the server gives up before the client does");
    let waited = started.elapsed();
    lock.rollback().await.unwrap();

    assert_eq!(response.status(), 503);
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(response.headers()["retry-after"], "5");
    assert_security_headers("503", &response);
    assert_eq!(response.json::<AppError>().await.unwrap(), AppError::Unavailable);
    assert_eq!(app.call("platform_stats", &[]).await.status(), 200, "once the lock is gone it answers again");
}

#[tokio::test]
async fn an_event_stream_outlives_the_request_timeout() {
    let app = TestApp::spawn_with(&[("REQUEST_TIMEOUT_SECS", "2")]).await;
    // A guest: no password to hash, so arranging stays well inside the timeout.
    let guest = browser();
    assert!(app.call_as(&guest, "start_guest", &[]).await.status().is_success());
    let mut stream = EventReader::open(&app, &guest, None).await;
    assert_eq!(stream.next_within(Duration::from_secs(5)).await.expect("ready").name, "ready");

    tokio::time::sleep(Duration::from_secs(3)).await;
    let receipt = executed(order(&app, &guest, "AAPL", "buy", "1").await).await;

    let trade = stream.next_named("trade", Duration::from_secs(5)).await.expect("the stream still delivers");
    assert!(trade.data.contains(&receipt.trade_id.to_string()), "{}", trade.data);
}

#[tokio::test]
async fn every_client_gets_429_with_retry_after_once_its_burst_is_spent() {
    let site_root = site_root_with_an_asset();
    let app = TestApp::spawn_with(&[
        ("GLOBAL_RATE_LIMIT_BURST", "3"),
        ("GLOBAL_RATE_LIMIT_PER_MINUTE", "1"),
        ("LEPTOS_SITE_ROOT", site_root.to_str().unwrap()),
    ])
    .await;

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.call("sign_in_providers", &[]).await.status().as_u16());
    }
    let limited_call = app.call("sign_in_providers", &[]).await;
    let limited_page = app.get("/").await;

    assert_eq!(statuses, [200, 200, 200, 429]);
    let wait: u64 = limited_call.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_security_headers("429", &limited_call);
    assert!(matches!(limited_call.json::<AppError>().await.unwrap(), AppError::RateLimited { .. }));
    assert_eq!(limited_page.status(), 429);
    assert!(limited_page.text().await.unwrap().starts_with("Too many requests. Try again in "));
    assert_eq!(app.get("/pkg/probe.css").await.status(), 200, "compiled assets are not counted");
    assert_eq!(app.get("/readyz").await.status(), 200, "health probes are not counted");
    std::fs::remove_dir_all(site_root).ok();
}

/// Statuses of `sign_in_providers` calls, each claiming in `header` to come from an address.
async fn statuses_claiming(app: &TestApp, header: &str, addresses: &[&str]) -> Vec<u16> {
    let mut statuses = Vec::new();
    for address in addresses {
        let request = browser().post(format!("{}/api/sign_in_providers", app.address)).header(header, *address);
        statuses.push(request.send().await.unwrap().status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn forwarding_headers_are_not_believed_by_default() {
    let app = TestApp::spawn_with(&[("GLOBAL_RATE_LIMIT_BURST", "2"), ("GLOBAL_RATE_LIMIT_PER_MINUTE", "1")]).await;

    let statuses = statuses_claiming(&app, "x-forwarded-for", &["198.51.100.1", "198.51.100.2", "198.51.100.3"]).await;
    let real_ip = statuses_claiming(&app, "x-real-ip", &["198.51.100.4"]).await;

    assert_eq!(statuses, [200, 200, 429], "made-up addresses do not buy new buckets");
    assert_eq!(real_ip, [429]);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let app = TestApp::spawn_with(&[
        ("GLOBAL_RATE_LIMIT_BURST", "2"),
        ("GLOBAL_RATE_LIMIT_PER_MINUTE", "1"),
        ("TRUSTED_PROXY_HEADER", "X-Forwarded-For"),
    ])
    .await;

    let first_client = statuses_claiming(&app, "x-forwarded-for", &["198.51.100.1", "198.51.100.1"]).await;
    // The client may put anything in front; our proxy's address is the right-most one.
    let spoofing_first = statuses_claiming(&app, "x-forwarded-for", &["203.0.113.9, 198.51.100.1"]).await;
    let second_client = statuses_claiming(&app, "x-forwarded-for", &["198.51.100.2", "198.51.100.2"]).await;

    assert_eq!(first_client, [200, 200]);
    assert_eq!(spoofing_first, [429]);
    assert_eq!(second_client, [200, 200], "another address, another bucket");
}

#[tokio::test]
async fn the_sign_in_limit_counts_clients_the_same_way() {
    let app = TestApp::spawn_with(&[
        ("AUTH_RATE_LIMIT_BURST", "1"),
        ("AUTH_RATE_LIMIT_REFILL_SECS", "60"),
        ("TRUSTED_PROXY_HEADER", "X-Real-IP"),
    ])
    .await;
    // A different account each time, so only the per-client limit can refuse.
    let log_in = |address: &'static str, email: &'static str| {
        let request = browser().post(format!("{}/api/log_in", app.address)).header("x-real-ip", address);
        async move {
            let response = request.form(&[("email", email), ("password", "wrong")]).send().await.unwrap();
            response.status().as_u16()
        }
    };

    let statuses = [
        log_in("198.51.100.1", "a@example.com").await,
        log_in("198.51.100.1", "b@example.com").await,
        log_in("198.51.100.2", "c@example.com").await,
    ];

    assert_eq!(statuses, [400, 429, 400]);
}

#[tokio::test]
async fn wrong_passwords_from_one_client_do_not_lock_the_owner_out() {
    let app = TestApp::spawn_with(&[
        ("AUTH_RATE_LIMIT_BURST", "3"),
        ("AUTH_RATE_LIMIT_REFILL_SECS", "60"),
        ("TRUSTED_PROXY_HEADER", "X-Real-IP"),
    ])
    .await;
    let from = |address: &'static str, password: &'static str| {
        let request = browser().post(format!("{}/api/log_in", app.address)).header("x-real-ip", address);
        async move { request.form(&[("email", "ada@example.com"), ("password", password)]).send().await.unwrap().status() }
    };
    let owner = browser();
    let sign_up = [("email", "ada@example.com"), ("username", "ada"), ("password", crate::auth::PASSWORD)];
    let signed_up = owner.post(format!("{}/api/sign_up", app.address)).header("x-real-ip", "198.51.100.1");
    assert!(signed_up.form(&sign_up).send().await.unwrap().status().is_success());

    // An attacker elsewhere spends the account's attempts from their address…
    let mut attacker = Vec::new();
    for _ in 0..3 {
        attacker.push(from("203.0.113.66", "a wrong guess").await.as_u16());
    }
    assert_eq!(attacker, [400, 400, 400]);
    assert_eq!(from("203.0.113.66", "another guess").await, 429, "that client is out of attempts");
    // …and the owner, from theirs, still gets in with the right password.
    assert_eq!(from("198.51.100.1", crate::auth::PASSWORD).await, 200, "the owner is not locked out");
}
