//! Finnhub as the quote source, against a local server speaking its documented shapes: parsing,
//! caching, falling back to the last known price, rate limits, and the key staying secret.

use crate::fake_finnhub::{FakeFinnhub, Mode, API_KEY};
use crate::harness::{config_with, TestApp};
use papertrade::domain::quote::ChartRange;
use papertrade::domain::Symbol;
use papertrade::server::market::finnhub::FinnhubQuotes;
use papertrade::server::market::{Listing, MarketError, QuoteSource, Universe};
use papertrade::server::platform::config::{ApiKey, FinnhubSettings};
use papertrade::wire::market::StockView;
use std::sync::Arc;
use std::time::Duration;

/// Tue 25 Feb 2020 14:30 UTC, the `t` of Finnhub's documented example.
const EXAMPLE_TIME: i64 = 1_582_641_000;

fn listing(symbol: &str) -> Listing {
    Universe::builtin().get(&Symbol::parse(symbol).unwrap()).expect("a listed symbol").clone()
}

/// Settings as the binary would read them for `fake`, plus `extra` variables.
fn settings(fake: &FakeFinnhub, extra: &[(&str, &str)]) -> FinnhubSettings {
    let vars = fake.config();
    let mut pairs: Vec<(&str, &str)> = vars.iter().map(|(name, value)| (*name, value.as_str())).collect();
    pairs.extend_from_slice(extra);
    let config = config_with("postgres://unused:pw@127.0.0.1:1/unused", &pairs);
    config.finnhub.expect("a key turns Finnhub on")
}

/// A source with a short cache and short timeouts, so failures show up quickly.
fn quick_source(fake: &FakeFinnhub, cache_ttl: Duration) -> FinnhubQuotes {
    let mut settings = settings(fake, &[]);
    settings.cache_ttl = cache_ttl;
    settings.timeout = Duration::from_millis(300);
    settings.connect_timeout = Duration::from_millis(300);
    FinnhubQuotes::new(&settings)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

#[tokio::test]
async fn a_quote_carries_finnhubs_price_previous_close_and_time() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    let source = quick_source(&fake, Duration::from_secs(60));

    let quote = source.quote(&listing("AAPL"), now()).await.unwrap();

    assert_eq!((quote.price.to_string(), quote.previous_close.to_string()), ("261.74".into(), "261.46".into()));
    assert_eq!(quote.as_of.timestamp(), EXAMPLE_TIME, "as of Finnhub's time, not ours");
    assert_eq!(quote.symbol.as_str(), "AAPL");
    assert_eq!((fake.quote_requests(), fake.bad_token_requests()), (1, 0), "the token header was sent");
}

#[tokio::test]
async fn quotes_within_the_cache_time_cost_one_request_even_when_asked_at_once() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    fake.set_quote("MSFT", 410.10, 409.00, EXAMPLE_TIME);
    let source = Arc::new(quick_source(&fake, Duration::from_secs(60)));

    let first = source.quote(&listing("AAPL"), now()).await.unwrap();
    let second = source.quote(&listing("AAPL"), now()).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(fake.quote_requests(), 1, "the second look came from the cache");

    fake.delay_quotes(Duration::from_millis(100));
    let lookers: Vec<_> = (0..8)
        .map(|_| {
            let source = source.clone();
            tokio::spawn(async move { source.quote(&listing("MSFT"), now()).await })
        })
        .collect();
    for looker in lookers {
        assert_eq!(looker.await.unwrap().unwrap().price.to_string(), "410.10");
    }
    assert_eq!(fake.quote_requests(), 2, "eight simultaneous misses shared one request");
}

#[tokio::test]
async fn when_finnhub_fails_the_last_price_is_served_with_its_old_time() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    let ttl = Duration::from_millis(200);
    let source = quick_source(&fake, ttl);
    let known = source.quote(&listing("AAPL"), now()).await.unwrap();
    // Finnhub now has a newer price, but will not manage to deliver it.
    fake.set_quote("AAPL", 300.00, 261.74, EXAMPLE_TIME + 3600);

    let mut requests = 1;
    for failure in [Mode::ServerError, Mode::Hang(Duration::from_secs(2)), Mode::RateLimited(None)] {
        fake.set_mode(failure);
        tokio::time::sleep(ttl + Duration::from_millis(100)).await;

        let served = source.quote(&listing("AAPL"), now()).await;

        requests += 1;
        assert_eq!(fake.quote_requests(), requests, "{failure:?}: Finnhub was asked again");
        assert_eq!(served.as_ref(), Ok(&known), "{failure:?}: the last known quote, still as of its own time");
    }
    assert_eq!(
        source.quote(&listing("MSFT"), now()).await,
        Err(MarketError::Unavailable(Symbol::parse("MSFT").unwrap())),
        "a symbol never priced has nothing to fall back on"
    );
}

#[tokio::test]
async fn a_symbol_finnhub_answers_with_zeros_is_unavailable() {
    let fake = FakeFinnhub::start().await;
    let source = quick_source(&fake, Duration::from_secs(60));

    let answer = source.quote(&listing("KO"), now()).await;

    assert_eq!(answer, Err(MarketError::Unavailable(Symbol::parse("KO").unwrap())));
    assert_eq!(fake.quote_requests(), 1);
}

#[tokio::test]
async fn after_a_429_no_request_goes_out_until_the_reset_time() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    fake.set_quote("MSFT", 410.10, 409.00, EXAMPLE_TIME);
    let ttl = Duration::from_millis(200);
    let source = quick_source(&fake, ttl);
    let known = source.quote(&listing("AAPL"), now()).await.unwrap();
    let reset = chrono::Utc::now().timestamp() + 2;
    fake.set_mode(Mode::RateLimited(Some(reset)));
    tokio::time::sleep(ttl + Duration::from_millis(50)).await;
    assert_eq!(source.quote(&listing("AAPL"), now()).await, Ok(known.clone()), "the 429 is answered from memory");
    assert_eq!(fake.quote_requests(), 2);

    fake.set_mode(Mode::Normal);
    tokio::time::sleep(ttl + Duration::from_millis(50)).await;
    assert_eq!(source.quote(&listing("AAPL"), now()).await, Ok(known));
    assert!(source.quote(&listing("MSFT"), now()).await.is_err(), "no request, so no price for a new symbol");
    assert_eq!(fake.quote_requests(), 2, "nothing was sent before the reset time");

    let until_reset = (reset * 1000 - chrono::Utc::now().timestamp_millis()).max(0) as u64;
    tokio::time::sleep(Duration::from_millis(until_reset + 300)).await;
    assert_eq!(source.quote(&listing("MSFT"), now()).await.unwrap().price.to_string(), "410.10");
    assert_eq!(fake.quote_requests(), 3);
}

#[tokio::test]
async fn the_client_side_budget_is_never_exceeded() {
    let fake = FakeFinnhub::start().await;
    for symbol in ["AAPL", "MSFT", "KO"] {
        fake.set_quote(symbol, 100.0, 99.0, EXAMPLE_TIME);
    }
    let source = FinnhubQuotes::new(&settings(&fake, &[("FINNHUB_CALLS_PER_MINUTE", "2")]));

    assert!(source.quote(&listing("AAPL"), now()).await.is_ok());
    assert!(source.quote(&listing("MSFT"), now()).await.is_ok());
    let third = source.quote(&listing("KO"), now()).await;

    assert_eq!(third, Err(MarketError::Unavailable(Symbol::parse("KO").unwrap())));
    assert_eq!(fake.quote_requests(), 2, "the third call was not sent");
}

#[tokio::test]
async fn a_rejected_key_gets_no_price_and_no_key_is_ever_shown() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    let mut wrong = settings(&fake, &[]);
    wrong.api_key = ApiKey::parse("wrong-key-also-secret").unwrap();
    let source = FinnhubQuotes::new(&wrong);

    let answer = source.quote(&listing("AAPL"), now()).await;

    assert!(matches!(answer, Err(MarketError::Unavailable(_))));
    assert_eq!(fake.bad_token_requests(), 1);
    let shown = format!("{wrong:?} {:?} {answer:?}", settings(&fake, &[]));
    assert!(!shown.contains("wrong-key-also-secret") && !shown.contains(API_KEY), "{shown}");
}

#[tokio::test]
async fn history_comes_from_candles_and_is_empty_when_finnhub_refuses_them() {
    let fake = FakeFinnhub::start().await;
    let start = chrono::Utc::now().timestamp() - 3600;
    fake.set_candles("AAPL", &[(start + 300, 261.00), (start, 260.50)]);
    let source = quick_source(&fake, Duration::from_secs(60));

    let points = source.history(&listing("AAPL"), ChartRange::Day, now()).await.unwrap();
    assert_eq!(points.iter().map(|p| p.price.to_string()).collect::<Vec<_>>(), ["260.50", "261.00"]);
    assert!(source.history(&listing("MSFT"), ChartRange::Day, now()).await.unwrap().is_empty(), "no_data");
    assert_eq!(fake.candle_requests(), 2);

    fake.forbid_candles();
    for range in [ChartRange::Week, ChartRange::Month, ChartRange::Year] {
        assert_eq!(source.history(&listing("AAPL"), range, now()).await, Ok(Vec::new()));
    }
    assert_eq!(fake.candle_requests(), 3, "after a 403, candles are not asked for again");
    assert_eq!(source.history(&listing("AAPL"), ChartRange::Day, now()).await.unwrap().len(), 2, "still cached");
}

#[tokio::test]
async fn the_stock_page_shows_finnhubs_price_as_delayed_and_never_the_key() {
    let fake = FakeFinnhub::start().await;
    fake.set_quote("AAPL", 261.74, 261.46, EXAMPLE_TIME);
    let start = chrono::Utc::now().timestamp() - 3600;
    fake.set_candles("AAPL", &[(start, 260.68), (start + 300, 263.31), (start + 600, 261.74)]);
    let vars = fake.config();
    let app = TestApp::spawn_with(&vars.iter().map(|(name, value)| (*name, value.as_str())).collect::<Vec<_>>()).await;

    let response = app.call("stock_detail", &[("symbol", "AAPL")]).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let view: StockView = serde_json::from_str(&body).unwrap();
    assert_eq!(view.row.price.to_string(), "261.74");
    assert_eq!(view.row.as_of.timestamp(), EXAMPLE_TIME);
    assert_eq!((view.day_low.to_string(), view.day_high.to_string()), ("260.68".into(), "263.31".into()));
    assert!(view.quote_delayed, "a 2020 price is not live");

    let page = app.get("/stocks/AAPL").await.text().await.unwrap();
    assert!(page.contains("$261.74"), "the fake price is on the page");
    assert!(page.contains("Delayed · last price as of Feb 25, 14:30 UTC"), "marked stale, with when it was true");
    assert!(!page.contains(API_KEY) && !body.contains(API_KEY), "the key never reaches a page");
    assert_eq!(fake.bad_token_requests(), 0);
    assert_eq!(fake.quote_requests(), 1, "the API call and the page shared the cached quote");
}
