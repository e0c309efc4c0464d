//! A stand-in for Finnhub: a real HTTP server in the test process that speaks the documented
//! `/quote` and `/stock/candle` shapes, checks the `X-Finnhub-Token` header, counts requests,
//! and can be told to fail (500, hang, 429 with or without a reset time, 403 on candles).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const API_KEY: &str = "fake-finnhub-key-not-for-pages";

/// How the next requests are answered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Normal,
    ServerError,
    /// Answers after this long (longer than the client's timeout).
    Hang(Duration),
    /// 429, with `X-Ratelimit-Reset` (unix seconds) when given.
    RateLimited(Option<i64>),
}

/// One symbol's quote as Finnhub would send it.
#[derive(Clone, Copy)]
pub struct FakeQuote {
    pub current: f64,
    pub previous_close: f64,
    pub time: i64,
}

#[derive(Default)]
struct Inner {
    quotes: HashMap<String, FakeQuote>,
    candles: HashMap<String, Vec<(i64, f64)>>,
    candles_forbidden: bool,
    quote_delay: Duration,
    mode: Option<Mode>,
    quote_requests: usize,
    candle_requests: usize,
    bad_token_requests: usize,
}

#[derive(Clone, Default)]
pub struct FakeFinnhub {
    inner: Arc<Mutex<Inner>>,
    pub address: String,
}

impl FakeFinnhub {
    pub async fn start() -> FakeFinnhub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}/api/v1", listener.local_addr().unwrap());
        let fake = FakeFinnhub { address, ..FakeFinnhub::default() };
        let app = Router::new()
            .route("/api/v1/quote", get(quote))
            .route("/api/v1/stock/candle", get(candle))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    /// The settings that point the app's quotes at this server.
    pub fn config(&self) -> Vec<(&'static str, String)> {
        vec![("FINNHUB_API_KEY", API_KEY.into()), ("FINNHUB_BASE_URL", self.address.clone())]
    }

    pub fn set_quote(&self, symbol: &str, current: f64, previous_close: f64, time: i64) {
        self.inner.lock().unwrap().quotes.insert(symbol.into(), FakeQuote { current, previous_close, time });
    }

    pub fn set_candles(&self, symbol: &str, closes: &[(i64, f64)]) {
        self.inner.lock().unwrap().candles.insert(symbol.into(), closes.to_vec());
    }

    /// Candles answer 403, as on Finnhub's free plan.
    pub fn forbid_candles(&self) {
        self.inner.lock().unwrap().candles_forbidden = true;
    }

    pub fn delay_quotes(&self, delay: Duration) {
        self.inner.lock().unwrap().quote_delay = delay;
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = Some(mode);
    }

    pub fn quote_requests(&self) -> usize {
        self.inner.lock().unwrap().quote_requests
    }

    pub fn candle_requests(&self) -> usize {
        self.inner.lock().unwrap().candle_requests
    }

    pub fn bad_token_requests(&self) -> usize {
        self.inner.lock().unwrap().bad_token_requests
    }

    /// Counts the request and answers it when something is wrong: token, failure mode.
    async fn refuse(&self, headers: &HeaderMap) -> Option<Response> {
        let mode = {
            let mut inner = self.inner.lock().unwrap();
            if headers.get("x-finnhub-token").and_then(|v| v.to_str().ok()) != Some(API_KEY) {
                inner.bad_token_requests += 1;
                return Some((StatusCode::UNAUTHORIZED, Json(json!({"error": "Invalid API key"}))).into_response());
            }
            inner.mode.unwrap_or(Mode::Normal)
        };
        match mode {
            Mode::Normal => None,
            Mode::ServerError => Some((StatusCode::INTERNAL_SERVER_ERROR, "upstream trouble").into_response()),
            Mode::Hang(delay) => {
                tokio::time::sleep(delay).await;
                None
            }
            Mode::RateLimited(reset) => {
                let mut response =
                    (StatusCode::TOO_MANY_REQUESTS, Json(json!({"error": "API limit reached."}))).into_response();
                response.headers_mut().insert("x-ratelimit-remaining", "0".parse().unwrap());
                if let Some(reset) = reset {
                    response.headers_mut().insert("x-ratelimit-reset", reset.to_string().parse().unwrap());
                }
                Some(response)
            }
        }
    }
}

async fn quote(
    State(fake): State<FakeFinnhub>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let delay = {
        let mut inner = fake.inner.lock().unwrap();
        inner.quote_requests += 1;
        inner.quote_delay
    };
    if let Some(refused) = fake.refuse(&headers).await {
        return refused;
    }
    tokio::time::sleep(delay).await;
    let symbol = query.get("symbol").cloned().unwrap_or_default();
    // Finnhub answers an unknown symbol with zeros, not an error.
    let known = fake.inner.lock().unwrap().quotes.get(&symbol).copied();
    let FakeQuote { current, previous_close, time } =
        known.unwrap_or(FakeQuote { current: 0.0, previous_close: 0.0, time: 0 });
    let change = current - previous_close;
    Json(json!({
        "c": current, "d": change, "dp": if previous_close > 0.0 { change / previous_close * 100.0 } else { 0.0 },
        "h": current + 1.0, "l": current - 1.0, "o": previous_close, "pc": previous_close, "t": time,
    }))
    .into_response()
}

async fn candle(
    State(fake): State<FakeFinnhub>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    fake.inner.lock().unwrap().candle_requests += 1;
    if let Some(refused) = fake.refuse(&headers).await {
        return refused;
    }
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let (from, to) = (field("from").parse::<i64>(), field("to").parse::<i64>());
    if !matches!(field("resolution").as_str(), "1" | "5" | "15" | "30" | "60" | "D" | "W" | "M")
        || !matches!((from, to), (Ok(from), Ok(to)) if from < to)
    {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"error": "bad candle request"}))).into_response();
    }
    let inner = fake.inner.lock().unwrap();
    if inner.candles_forbidden {
        return (StatusCode::FORBIDDEN, Json(json!({"error": "You don't have access to this resource."})))
            .into_response();
    }
    match inner.candles.get(&field("symbol")) {
        Some(closes) if !closes.is_empty() => {
            let t: Vec<i64> = closes.iter().map(|(t, _)| *t).collect();
            let c: Vec<f64> = closes.iter().map(|(_, c)| *c).collect();
            let volume = vec![1000; c.len()];
            Json(json!({"c": c, "h": c, "l": c, "o": c, "t": t, "v": volume, "s": "ok"})).into_response()
        }
        _ => Json(json!({"s": "no_data"})).into_response(),
    }
}
