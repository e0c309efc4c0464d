//! Input hardening: a deterministic fuzz over every server function and route. Hostile field
//! values (huge and negative numbers, excessive decimal scale, unicode, NUL, 10 KB strings) and
//! structural damage (missing, duplicate and extra fields, wrong content types, invalid UTF-8 and
//! percent-encoding) must never produce a panic or a 5xx, and every 4xx from `/api/*` carries a
//! human message.
//!
//! `FUZZ_SEED` and `FUZZ_CASES` override the seed and the number of requests (default 10,000).

use crate::auth::PASSWORD;
use crate::harness::TestApp;
use futures_util::stream::{self, StreamExt};
use papertrade::wire::AppError;
use std::collections::BTreeMap;
use std::time::Instant;

/// A tiny xorshift generator: reproducible from its seed, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        uuid::Uuid::from_u64_pair(a, b).to_string()
    }
}

/// Every server function with its fields and a valid value for each. `anonymous` ones would end
/// or change the fuzzing session, so they always run from a signed-out client.
struct Endpoint {
    name: &'static str,
    fields: &'static [&'static str],
    anonymous: bool,
}

const ENDPOINTS: &[Endpoint] = &[
    Endpoint { name: "current_user", fields: &[], anonymous: false },
    Endpoint { name: "sign_up", fields: &["email", "username", "password", "next"], anonymous: true },
    Endpoint { name: "log_in", fields: &["email", "password", "next"], anonymous: true },
    Endpoint { name: "log_out", fields: &[], anonymous: true },
    Endpoint { name: "start_guest", fields: &["next"], anonymous: true },
    Endpoint { name: "upgrade_guest", fields: &["email", "username", "password"], anonymous: true },
    Endpoint { name: "change_password", fields: &["current_password", "new_password"], anonymous: true },
    Endpoint { name: "update_profile", fields: &["username", "avatar_url"], anonymous: false },
    Endpoint { name: "change_email", fields: &["email", "current_password"], anonymous: true },
    Endpoint { name: "resend_verification", fields: &[], anonymous: false },
    Endpoint { name: "verify_email", fields: &["token"], anonymous: true },
    Endpoint { name: "request_password_reset", fields: &["email"], anonymous: true },
    Endpoint { name: "reset_password", fields: &["token", "new_password"], anonymous: true },
    Endpoint { name: "delete_account", fields: &["confirmation"], anonymous: true },
    Endpoint { name: "sign_in_providers", fields: &[], anonymous: false },
    Endpoint { name: "connected_providers", fields: &[], anonymous: false },
    Endpoint { name: "notifications", fields: &["page"], anonymous: false },
    Endpoint { name: "unread_count", fields: &[], anonymous: false },
    Endpoint { name: "mark_notification_read", fields: &["id"], anonymous: false },
    Endpoint { name: "mark_all_notifications_read", fields: &[], anonymous: false },
    Endpoint { name: "dismiss_notification", fields: &["id"], anonymous: false },
    Endpoint { name: "my_portfolio", fields: &[], anonymous: false },
    Endpoint { name: "value_history", fields: &[], anonymous: false },
    Endpoint { name: "reset_portfolio", fields: &["confirm"], anonymous: false },
    Endpoint { name: "my_watchlist", fields: &[], anonymous: false },
    Endpoint { name: "add_to_watchlist", fields: &["symbol"], anonymous: false },
    Endpoint { name: "remove_from_watchlist", fields: &["symbol"], anonymous: false },
    Endpoint { name: "create_price_alert", fields: &["symbol", "direction", "threshold"], anonymous: false },
    Endpoint { name: "delete_price_alert", fields: &["id"], anonymous: false },
    Endpoint { name: "market_overview", fields: &["query"], anonymous: false },
    Endpoint { name: "stock_detail", fields: &["symbol"], anonymous: false },
    Endpoint { name: "price_history", fields: &["symbol", "range"], anonymous: false },
    Endpoint { name: "platform_stats", fields: &[], anonymous: false },
    Endpoint { name: "trade_history", fields: &["page", "symbol", "side"], anonymous: false },
    Endpoint { name: "place_order", fields: &["symbol", "side", "quantity", "idempotency_key"], anonymous: false },
    Endpoint { name: "place_order", fields: &["symbol", "side", "quantity", "idempotency_key"], anonymous: false },
    Endpoint {
        name: "submit_order",
        fields: &[
            "symbol",
            "side",
            "quantity",
            "kind",
            "limit_price",
            "stop_price",
            "trail",
            "trail_unit",
            "time_in_force",
            "idempotency_key",
        ],
        anonymous: false,
    },
    Endpoint { name: "change_order", fields: &["order_id", "quantity", "limit_price", "stop_price"], anonymous: false },
    Endpoint { name: "cancel_order", fields: &["order_id"], anonymous: false },
    Endpoint { name: "my_orders", fields: &["symbol", "open_only"], anonymous: false },
    Endpoint {
        name: "create_game",
        fields: &[
            "name",
            "starts_at",
            "ends_at",
            "starting_cash",
            "commission_kind",
            "commission_value",
            "max_position_percent",
            "allowed_kinds",
            "late_joining",
        ],
        anonymous: false,
    },
    Endpoint { name: "join_game", fields: &["code"], anonymous: false },
    Endpoint { name: "game_leaderboard", fields: &["game"], anonymous: false },
    Endpoint { name: "my_games", fields: &[], anonymous: false },
    Endpoint { name: "public_games", fields: &[], anonymous: false },
    Endpoint { name: "my_portfolios", fields: &[], anonymous: false },
    Endpoint { name: "game_class", fields: &["game"], anonymous: false },
    Endpoint { name: "remove_player", fields: &["game", "portfolio"], anonymous: false },
    Endpoint { name: "adjust_cash", fields: &["game", "portfolio", "amount", "reason"], anonymous: false },
    Endpoint { name: "select_portfolio", fields: &["portfolio"], anonymous: false },
];

fn valid_value(field: &str, rng: &mut Rng) -> String {
    let n = rng.next() % 1_000_000;
    match field {
        "email" => format!("fuzz{n}@example.com"),
        "username" => format!("fuzz{n}"),
        "password" | "current_password" | "new_password" => PASSWORD.to_owned(),
        "next" => rng.pick(&["/dashboard", "/stocks/AAPL", "/"]).to_string(),
        "symbol" => rng.pick(&["AAPL", "msft", " SPY ", "TSLA"]).to_string(),
        "side" => rng.pick(&["buy", "sell", ""]).to_string(),
        "quantity" => rng.pick(&["1", "2", "10"]).to_string(),
        "idempotency_key" | "id" | "order_id" => rng.uuid(),
        "kind" => rng.pick(&["market", "limit", "stop", "stop_limit", "trailing_stop"]).to_string(),
        "limit_price" | "stop_price" | "trail" => rng.pick(&["95", "105.50", "5", ""]).to_string(),
        "trail_unit" => rng.pick(&["dollars", "percent"]).to_string(),
        "time_in_force" => rng.pick(&["day", "gtc"]).to_string(),
        "open_only" => rng.pick(&["true", "false"]).to_string(),
        "name" => rng.pick(&["Period 3", "Finance club", ""]).to_string(),
        "starts_at" => rng.pick(&["2026-12-07T14:30", "2026-12-01T09:00:00Z", ""]).to_string(),
        "ends_at" => rng.pick(&["2027-01-07T14:30", "2027-06-01T09:00:00Z", "2026-01-01T00:00"]).to_string(),
        "starting_cash" => rng.pick(&["10000", "50000.00", "0"]).to_string(),
        "commission_kind" => rng.pick(&["none", "per_trade", "per_share", "percent"]).to_string(),
        "commission_value" => rng.pick(&["4.95", "0.005", "0.25", ""]).to_string(),
        "max_position_percent" => rng.pick(&["25", "", "100"]).to_string(),
        "allowed_kinds" => rng.pick(&["limit", "limit,stop", ""]).to_string(),
        "late_joining" => rng.pick(&["on", ""]).to_string(),
        "code" => rng.pick(&["K7M-2QX", "k7m2qx", "ZZZZZZ"]).to_string(),
        "game" | "portfolio" => rng.uuid(),
        "amount" => rng.pick(&["500", "-250", "0"]).to_string(),
        "reason" => rng.pick(&["Bonus", ""]).to_string(),
        "token" => rng.uuid().replace('-', "").repeat(2),
        "page" => rng.pick(&["1", "2", "0"]).to_string(),
        "query" => rng.pick(&["app", "", "S"]).to_string(),
        "range" => rng.pick(&["Day", "Week", "Month", "Year"]).to_string(),
        "direction" => rng.pick(&["above", "below"]).to_string(),
        "threshold" => rng.pick(&["150.00", "99.5", "1"]).to_string(),
        "confirm" => "no".to_owned(),
        "confirmation" => "DELETE".to_owned(),
        "avatar_url" => "https://example.com/a.png".to_owned(),
        _ => "x".to_owned(),
    }
}

/// Hostile values, one field at a time.
fn corpus(rng: &mut Rng) -> String {
    const FIXED: &[&str] = &[
        "",
        " ",
        "\t\n\r ",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "1e309",
        "1e-309",
        "1E5",
        "-0",
        "+0",
        "0",
        "-1",
        "-100",
        "0.0000000001",
        "1.000000000000000000000000000001",
        "0.5",
        "1.",
        ".5",
        "1,000",
        "1_000",
        "0x10",
        "99999999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "2147483648",
        "-2147483649",
        "1e10",
        "123456789012345678901234567890.123456789",
        "٣",
        "１２",
        "שלום",
        "\u{202E}LPAA",
        "AAPL\u{0301}",
        "e\u{0301}\u{0302}\u{0303}",
        "😀",
        "👩‍👩‍👧‍👦",
        "\0",
        "AAPL\0",
        "\u{FEFF}AAPL",
        "\u{FFFD}",
        "Ω≈ç√∫",
        "' OR 1=1 --",
        "'; DROP TABLE users; --",
        "\" OR \"\"=\"",
        "%' AND 1=0 UNION SELECT 1 --",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "//evil.example.com",
        "https://evil.example.com/",
        "../../etc/passwd",
        "%00",
        "%ZZ",
        "{\"a\":1}",
        "[]",
        "null",
        "true",
        "Day",
        "day",
        "DAY",
        "Century",
        "buy",
        "BUY",
        "sell ",
        "yes",
        "YES",
        "00000000-0000-0000-0000-000000000000",
        "not-a-uuid",
        "{00000000-0000-0000-0000-000000000000}",
        "a@b",
        "@",
        "user@",
        "a@b.c",
    ];
    match rng.below(10) {
        0 => "A".repeat(10 * 1024),
        1 => "é😀".repeat(rng.below(3000) + 1),
        2 => {
            let len = rng.below(40);
            (0..len).map(|_| char::from_u32((rng.next() % 0x2_FFFF) as u32).unwrap_or('\u{FFFD}')).collect()
        }
        3 => format!("{}", rng.next() as i64),
        4 => format!("{}.{:0>width$}", rng.next() % 100_000, rng.next() % 1000, width = rng.below(30) + 1),
        _ => rng.pick(FIXED).to_string(),
    }
}

/// A valid value, slightly damaged.
fn mutate(value: &str, rng: &mut Rng) -> String {
    let mut value = value.to_owned();
    match rng.below(7) {
        0 => value.push_str(&corpus(rng)),
        1 => value.insert_str(0, &corpus(rng)),
        2 => value = value.to_uppercase(),
        3 => value = format!("-{value}"),
        4 => value = format!("{value}.000000000001"),
        5 => value = value.repeat(rng.below(50) + 2),
        _ => value = value.chars().rev().collect(),
    }
    value
}

#[derive(Clone, Copy, Debug)]
enum Who {
    SignedIn,
    Anonymous,
}

struct Case {
    who: Who,
    method: reqwest::Method,
    path: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Case {
    fn describe(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        let body: String = if body.chars().count() > 200 {
            format!("{}… ({} bytes)", body.chars().take(200).collect::<String>(), self.body.len())
        } else {
            body.into_owned()
        };
        let path: String = self.path.chars().take(200).collect();
        format!("{:?} {} {path} content-type={:?} body={body:?}", self.who, self.method, self.content_type)
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn urlencode(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

fn server_function_case(rng: &mut Rng) -> Case {
    let endpoint = rng.pick(ENDPOINTS);
    let mut pairs: Vec<(String, String)> = endpoint
        .fields
        .iter()
        .map(|field| {
            let valid = valid_value(field, rng);
            let value = match rng.below(3) {
                0 => valid,
                1 => corpus(rng),
                _ => mutate(&valid, rng),
            };
            (field.to_string(), value)
        })
        .collect();
    // Structural damage.
    match rng.below(8) {
        0 if !pairs.is_empty() => {
            let at = rng.below(pairs.len());
            pairs.remove(at);
        }
        1 if !pairs.is_empty() => {
            let at = rng.below(pairs.len());
            let duplicate = (pairs[at].0.clone(), corpus(rng));
            pairs.push(duplicate);
        }
        2 => pairs.push((rng.pick(&["extra", "symbol", "__proto__", "", "a[]"]).to_string(), corpus(rng))),
        3 => pairs.push((corpus(rng), corpus(rng))),
        _ => {}
    }
    let who = if endpoint.anonymous || rng.chance(15) { Who::Anonymous } else { Who::SignedIn };
    let path = format!("/api/{}", endpoint.name);
    let form = "application/x-www-form-urlencoded".to_owned();
    let (method, content_type, body) = match rng.below(20) {
        0 => {
            let map: serde_json::Map<String, serde_json::Value> =
                pairs.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
            (reqwest::Method::POST, Some("application/json".to_owned()), serde_json::to_vec(&map).unwrap())
        }
        1 => (reqwest::Method::POST, Some("text/plain".to_owned()), urlencode(&pairs).into_bytes()),
        2 => {
            let boundary = "fuzzboundary";
            let mut body = String::new();
            for (k, v) in &pairs {
                body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
            }
            body.push_str(&format!("--{boundary}--\r\n"));
            (reqwest::Method::POST, Some(format!("multipart/form-data; boundary={boundary}")), body.into_bytes())
        }
        3 => (reqwest::Method::POST, None, urlencode(&pairs).into_bytes()),
        4 => (reqwest::Method::POST, Some(form), Vec::new()),
        5 => {
            let mut body = urlencode(&pairs).into_bytes();
            let at = rng.below(body.len() + 1);
            body.splice(at..at, [0xff, 0xfe, 0xc3, 0x28, 0x80]);
            (reqwest::Method::POST, Some(form), body)
        }
        6 => {
            let mut body = urlencode(&pairs);
            let tail = *rng.pick(&["&%ZZ=%", "&symbol=%E0%A4%A", "&=&&=", "&%", "&a=%ff%fe"]);
            body.push_str(tail);
            (reqwest::Method::POST, Some(form), body.into_bytes())
        }
        7 => (reqwest::Method::GET, None, Vec::new()),
        8 => (
            reqwest::Method::POST,
            Some(rng.pick(&["application/cbor", "text/html", "garbage", ""]).to_string()),
            urlencode(&pairs).into_bytes(),
        ),
        9 if rng.chance(10) => (reqwest::Method::POST, Some(form), "a=".repeat(40 * 1024).into_bytes()),
        _ => (reqwest::Method::POST, Some(form), urlencode(&pairs).into_bytes()),
    };
    let path = if method == reqwest::Method::GET {
        let short: Vec<(String, String)> =
            pairs.into_iter().map(|(k, v)| (k.chars().take(500).collect(), v.chars().take(2000).collect())).collect();
        format!("{path}?{}", urlencode(&short))
    } else {
        path
    };
    Case { who, method, path, content_type, body }
}

fn route_case(rng: &mut Rng) -> Case {
    let who = if rng.chance(50) { Who::SignedIn } else { Who::Anonymous };
    let value = |rng: &mut Rng| if rng.chance(30) { valid_value("symbol", rng) } else { corpus(rng) };
    let query = |rng: &mut Rng, keys: &[&str]| {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for key in keys {
            if rng.chance(70) {
                // Long enough to hurt, short enough for a URL the client will send.
                pairs.push((key.to_string(), corpus(rng).chars().take(2000).collect()));
            }
        }
        let mut query = urlencode(&pairs);
        if rng.chance(15) {
            let tail = *rng.pick(&["&%ZZ", "&a=%ff", "&&=", "&x=%E0%A4%A"]);
            query.push_str(tail);
        }
        query
    };
    let segment = |rng: &mut Rng| -> String {
        let text = value(rng);
        let text: String = text.chars().take(300).collect();
        percent_encode(&text)
    };
    let (method, path) = match rng.below(10) {
        0 => (reqwest::Method::GET, format!("/history.csv?{}", query(rng, &["symbol", "side", "page", "from", "to"]))),
        1 => (reqwest::Method::GET, format!("/auth/{}?{}", segment(rng), query(rng, &["next"]))),
        2 => (
            reqwest::Method::GET,
            format!("/auth/{}/callback?{}", segment(rng), query(rng, &["state", "code", "error"])),
        ),
        3 => (reqwest::Method::POST, "/auth/logout".to_owned()),
        4 => (reqwest::Method::GET, format!("/stocks/{}", segment(rng))),
        5 => (reqwest::Method::GET, format!("/events?{}", query(rng, &["since", "last_event_id"]))),
        6 => (
            reqwest::Method::GET,
            format!(
                "{}?{}",
                rng.pick(&[
                    "/",
                    "/login",
                    "/signup",
                    "/dashboard",
                    "/history",
                    "/account",
                    "/markets",
                    "/watchlist",
                    "/notifications"
                ]),
                query(rng, &["next", "q", "page", "symbol", "side", "error"])
            ),
        ),
        7 => (reqwest::Method::GET, format!("/{}", segment(rng))),
        8 => (reqwest::Method::GET, rng.pick(&["/healthz", "/readyz", "/metrics"]).to_string()),
        _ => (reqwest::Method::POST, "/auth/refresh".to_owned()),
    };
    // Signing out, or rotating the session while 32 other requests still carry the old cookie,
    // would quietly turn the rest of the run into signed-out requests.
    let who = if path.starts_with("/auth/logout") || path.starts_with("/auth/refresh") { Who::Anonymous } else { who };
    let body = if method == reqwest::Method::POST { corpus(rng).into_bytes() } else { Vec::new() };
    Case { who, method, path, content_type: None, body }
}

fn problem_with(case: &Case, status: u16, content_type: &str, body: &str) -> Option<String> {
    if status >= 500 {
        return Some(format!("{status}"));
    }
    for leak in ["panicked", "sqlx", "SQLSTATE", "RUST_BACKTRACE"] {
        if body.contains(leak) {
            return Some(format!("{status}, the body mentions {leak:?}"));
        }
    }
    if (400..500).contains(&status) && case.path.starts_with("/api/") {
        if body.trim().is_empty() {
            return Some(format!("{status} with an empty body"));
        }
        if content_type.contains("json") {
            if let Err(error) = serde_json::from_str::<AppError>(body) {
                return Some(format!("{status}, a JSON body that is not an AppError ({error})"));
            }
        } else if !body.chars().any(char::is_alphabetic) {
            return Some(format!("{status} without a message"));
        }
    }
    None
}

#[tokio::test]
async fn ten_thousand_hostile_inputs_never_panic_or_5xx_and_always_explain_a_4xx() {
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_F00D_CAFE_D00D);
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    println!("fuzz: seed {seed} ({cases} requests); rerun with FUZZ_SEED={seed}");

    let app = TestApp::spawn_with_fixed_price_and(
        "100.00",
        &[
            ("GLOBAL_RATE_LIMIT_BURST", "1000000"),
            ("GLOBAL_RATE_LIMIT_PER_MINUTE", "1000000"),
            ("AUTH_RATE_LIMIT_BURST", "10000"),
            ("AUTH_RATE_LIMIT_REFILL_SECS", "1"),
        ],
    )
    .await;
    // A fresh connection per request: a refused request's unread body makes the server close its
    // connection, and a pooled client racing that close would report a send error, not an answer.
    let client = |cookies: bool| {
        reqwest::Client::builder()
            .cookie_store(cookies)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .read_timeout(crate::harness::READ_PATIENCE)
            .build()
            .unwrap()
    };
    let signed_in = client(true);
    crate::auth::sign_up(&app, &signed_in, "fuzzer@example.com", "fuzzer").await;
    // Something to sell, cancel and page through.
    assert!(crate::trading::order(&app, &signed_in, "AAPL", "buy", "50").await.status().is_success());
    let anonymous = client(false);
    // Longer than the server's own request timeout: a request still unanswered after this is a
    // hang, reported with its input rather than stalling the suite.
    let patience = std::time::Duration::from_secs(45);

    let mut rng = Rng(seed.max(1));
    let generated: Vec<Case> = (0..cases)
        .map(|_| if rng.chance(80) { server_function_case(&mut rng) } else { route_case(&mut rng) })
        .collect();

    let started = Instant::now();
    let results: Vec<(usize, u16, Option<String>)> = stream::iter(generated.iter().enumerate())
        .map(|(index, case)| {
            let client = match case.who {
                Who::SignedIn => signed_in.clone(),
                Who::Anonymous => anonymous.clone(),
            };
            let url = format!("{}{}", app.address, case.path);
            async move {
                let sent = Instant::now();
                let mut request = client.request(case.method.clone(), url).timeout(patience).body(case.body.clone());
                if let Some(content_type) = &case.content_type {
                    request = request.header("content-type", content_type);
                }
                let response = match request.send().await {
                    Ok(response) => response,
                    Err(error) => {
                        let cause = std::error::Error::source(&error).map(ToString::to_string).unwrap_or_default();
                        return (index, 0, Some(format!("no answer: {:.300} ({cause})", error.to_string())));
                    }
                };
                let status = response.status().as_u16();
                let content_type =
                    response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let waited = sent.elapsed();
                if waited > std::time::Duration::from_secs(2) {
                    println!("fuzz: slow answer ({status}) after {waited:.1?}: #{index} {}", case.describe());
                }
                if case.path.starts_with("/events") && status < 300 {
                    // A live stream: the status is the answer; don't hold it open.
                    return (index, status, None);
                }
                let mut response = response;
                let mut bytes = Vec::new();
                loop {
                    match response.chunk().await {
                        Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                        Ok(None) => break,
                        Err(error) => {
                            let partial = String::from_utf8_lossy(&bytes);
                            let tail: String =
                                partial.chars().rev().take(400).collect::<Vec<_>>().into_iter().rev().collect();
                            return (
                                index,
                                status,
                                Some(format!("{status}, the body broke off ({error}) after …{tail}")),
                            );
                        }
                    }
                }
                let body = String::from_utf8_lossy(&bytes).into_owned();
                (index, status, problem_with(case, status, &content_type, &body).map(|p| format!("{p}: {body:.300}")))
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let elapsed = started.elapsed();

    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut failures: Vec<(usize, String)> = Vec::new();
    for (index, status, problem) in results {
        *statuses.entry(status).or_default() += 1;
        if let Some(problem) = problem {
            failures.push((index, problem));
        }
    }
    failures.sort_by_key(|(index, problem)| (!problem.starts_with("no answer"), *index));
    println!("fuzz: {cases} requests in {:.1?}; statuses {statuses:?}", elapsed);
    let report: Vec<String> = failures
        .iter()
        .take(20)
        .map(|(index, problem)| format!("#{index} {}\n    => {problem}", generated[*index].describe()))
        .collect();
    if !failures.is_empty() {
        let activity: Vec<String> = sqlx::query_scalar(
            "SELECT concat_ws(' | ', state, wait_event_type || '/' || wait_event, (now() - xact_start)::text,
                              left(query, 160))
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_all(&app.pool)
        .await
        .unwrap_or_default();
        println!("fuzz: the database's sessions after the run: {activity:#?}");
    }
    assert!(failures.is_empty(), "{} of {cases} inputs failed (first 20):\n{}", failures.len(), report.join("\n"));
    // The fuzzing session survived all of it.
    assert_eq!(app.call_as(&signed_in, "my_portfolio", &[]).await.status(), 200);
}

/// Regression: arguments Leptos cannot decode (missing or duplicate fields, invalid UTF-8, an
/// unknown enum variant) were answered 500; they are the client's mistake, a 400 that says so.
#[tokio::test]
async fn undecodable_server_function_arguments_are_a_400_with_a_message() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let client = crate::trading::learner(&app, "malformed").await;
    let bodies: [(&str, &[u8]); 5] = [
        ("trade_history", b"symbol=AAPL&side=buy"),
        ("market_overview", b"query=a&query=b"),
        ("price_history", b"symbol=AAPL&range=Century"),
        ("price_history", b"symbol=AA\xff\xfePL&range=Day"),
        ("log_out", b"\xff\xfe"),
    ];
    for (endpoint, body) in bodies {
        let response = client
            .post(format!("{}/api/{endpoint}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{endpoint} {:?}", String::from_utf8_lossy(body));
        let error: AppError = response.json().await.unwrap();
        let AppError::Invalid(message) = error else { panic!("{endpoint}: {error:?}") };
        assert!(message.starts_with("the request was malformed"), "{message}");
    }
    // A GET to a server function is refused with a message too, not a bare 405.
    let response = client.get(format!("{}/api/my_portfolio", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(matches!(response.json::<AppError>().await.unwrap(), AppError::Invalid(_)));
}
