//! The live event stream (`GET /events`): who may open it, what reaches which user, catching up
//! after a reconnect, delivery across two instances on one database, and shutdown.

use crate::harness::{browser, publish_notes, TestApp};
use crate::trading::{executed, learner, order};
use papertrade::wire::live::{ReadyEvent, TradeEvent};
use papertrade::wire::notifications::NotificationView;
use std::time::Duration;

/// One Server-Sent Event as the browser's EventSource parses it.
#[derive(Debug, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub name: String,
    pub data: String,
}

/// Reads events from an open stream, as a browser tab would.
pub struct EventReader {
    response: reqwest::Response,
    buffer: String,
}

impl EventReader {
    /// Opens `/events` for `client` (its cookie jar), with an optional `Last-Event-ID`.
    pub async fn open(app: &TestApp, client: &reqwest::Client, last_event_id: Option<i64>) -> EventReader {
        let mut request = client.get(format!("{}/events", app.address)).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), 200, "the stream opens");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        EventReader { response, buffer: String::new() }
    }

    /// The next event (comments and `retry:` lines skipped), or `None` if none comes within
    /// `wait` or the stream ends.
    pub async fn next_within(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(event) = self.parse_one() {
                return Some(event);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.ok()?.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event named `name`, skipping others.
    pub async fn next_named(&mut self, name: &str, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let event = self.next_within(left).await?;
            if event.name == name {
                return Some(event);
            }
        }
    }

    /// Whether the server closed the stream within `wait`.
    pub async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return false,
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None) | Err(_)) => return true,
            }
        }
    }

    fn parse_one(&mut self) -> Option<SseEvent> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut event = SseEvent { name: "message".into(), ..SseEvent::default() };
            let mut has_data = false;
            for line in block.lines() {
                let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.trim_start()));
                match field {
                    "id" => event.id = Some(value.to_owned()),
                    "event" => event.name = value.to_owned(),
                    "data" => {
                        event.data.push_str(value);
                        has_data = true;
                    }
                    _ => {}
                }
            }
            if has_data {
                return Some(event);
            }
        }
    }
}

pub const SOON: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(1500);

/// Opens a stream and reads its first event, `ready`.
pub async fn ready_stream(app: &TestApp, client: &reqwest::Client) -> (EventReader, ReadyEvent) {
    let mut stream = EventReader::open(app, client, None).await;
    let ready = stream.next_within(SOON).await.expect("a first event");
    assert_eq!(ready.name, "ready");
    (stream, serde_json::from_str(&ready.data).unwrap())
}

#[tokio::test]
async fn a_stream_needs_a_session() {
    let app = TestApp::spawn().await;
    let response = browser().get(format!("{}/events", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_stream_opened_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let client = learner(&app, "ada").await;
    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let response = client.get(format!("{}/events", app.address)).header(header, value).send().await.unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
    }
}

#[tokio::test]
async fn a_trade_reaches_every_open_page_of_its_user_and_no_one_else() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    let bob = learner(&app, "bob").await;
    let (mut first_tab, _) = ready_stream(&app, &ada).await;
    let (mut second_tab, _) = ready_stream(&app, &ada).await;
    let (mut bobs_tab, _) = ready_stream(&app, &bob).await;

    let receipt = executed(order(&app, &ada, "AAPL", "buy", "3").await).await;

    for tab in [&mut first_tab, &mut second_tab] {
        let trade = tab.next_named("trade", SOON).await.expect("the trade arrives");
        let trade: TradeEvent = serde_json::from_str(&trade.data).unwrap();
        assert_eq!((trade.trade_id, trade.symbol.as_str(), trade.quantity), (receipt.trade_id, "AAPL", 3));
        let note = tab.next_named("notification", SOON).await.expect("the coach's note arrives");
        let note: NotificationView = serde_json::from_str(&note.data).unwrap();
        assert_eq!(note.trigger_type, "first_trade");
    }
    let leaked = bobs_tab.next_within(QUIET).await;
    assert!(leaked.as_ref().is_none_or(|e| e.name == "prices"), "bob received {leaked:?}");
}

#[tokio::test]
async fn a_trade_through_one_instance_reaches_a_page_served_by_another() {
    let instance_a = TestApp::spawn_with_fixed_price("100.00").await;
    let instance_b = instance_a.another_instance().await;
    let ada = learner(&instance_a, "ada").await;
    // The session lives in the shared database, so the same cookie works on B.
    let (mut tab_on_b, _) = ready_stream(&instance_b, &ada).await;

    let receipt = executed(order(&instance_a, &ada, "MSFT", "buy", "1").await).await;

    let trade = tab_on_b.next_named("trade", SOON).await.expect("the trade crosses instances");
    let trade: TradeEvent = serde_json::from_str(&trade.data).unwrap();
    assert_eq!(trade.trade_id, receipt.trade_id);
}

#[tokio::test]
async fn a_page_that_reconnects_receives_what_it_missed_once() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    let (stream, ready) = ready_stream(&app, &ada).await;
    drop(stream);

    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;

    let mut reconnected = EventReader::open(&app, &ada, Some(ready.last_id)).await;
    let mut missed = Vec::new();
    while let Some(event) = reconnected.next_within(QUIET).await {
        if event.name != "prices" {
            missed.push(event);
        }
    }
    let names: Vec<&str> = missed.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["ready", "trade", "notification", "trade"], "{missed:?}");
    let ids: Vec<i64> = missed.iter().skip(1).filter_map(|e| e.id.as_deref()).map(|id| id.parse().unwrap()).collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]) && ids[0] > ready.last_id, "ids in order: {ids:?}");
    let ready_again: ReadyEvent = serde_json::from_str(&missed[0].data).unwrap();
    assert_eq!(ready_again.last_id, ready.last_id, "ready says where the catch-up starts");
}

#[tokio::test]
async fn the_prices_of_what_a_user_holds_stream_in() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "NVDA", "buy", "1").await).await;
    let (mut stream, _) = ready_stream(&app, &ada).await;
    let prices = stream.next_named("prices", SOON).await.expect("prices arrive");
    let prices: papertrade::wire::live::PricesEvent = serde_json::from_str(&prices.data).unwrap();
    let quoted: Vec<(String, String)> =
        prices.quotes.iter().map(|q| (q.symbol.to_string(), q.price.to_string())).collect();
    assert_eq!(quoted, [("NVDA".to_owned(), "100.00".to_owned())]);
}

#[tokio::test]
async fn open_streams_end_when_the_server_shuts_down() {
    let (app, stop, stopped) = TestApp::spawn_stoppable().await;
    let ada = learner(&app, "ada").await;
    let (mut stream, _) = ready_stream(&app, &ada).await;

    stop.send(()).unwrap();

    assert!(stream.ends_within(SOON).await, "the stream ended");
    tokio::time::timeout(SOON, stopped).await.expect("the server stopped within 5 s").unwrap();
}

#[tokio::test]
async fn a_long_absence_is_caught_up_page_by_page_in_order() {
    let app = TestApp::spawn_with_fixed_price("1.00").await;
    let ada = learner(&app, "ada").await;
    let (stream, ready) = ready_stream(&app, &ada).await;
    drop(stream);
    publish_notes(&app.pool, "ada", 450).await;

    let mut reconnected = EventReader::open(&app, &ada, Some(ready.last_id)).await;
    let mut titles = Vec::new();
    while let Some(event) = reconnected.next_named("notification", QUIET).await {
        titles.push(serde_json::from_str::<NotificationView>(&event.data).unwrap().title);
    }
    let expected: Vec<String> = (0..450).map(|n| format!("Note {n}")).collect();
    assert_eq!(titles, expected);
}

#[tokio::test]
async fn an_id_from_before_a_restore_does_not_silence_the_stream() {
    let app = TestApp::spawn_with_fixed_price("1.00").await;
    let ada = learner(&app, "ada").await;
    let mut stream = EventReader::open(&app, &ada, Some(1_000_000)).await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    assert!(stream.next_named("trade", SOON).await.is_some(), "new events still arrive");
}

#[tokio::test]
async fn events_committed_while_the_listener_reconnects_still_arrive() {
    let app = TestApp::spawn_with_fixed_price("1.00").await;
    let ada = learner(&app, "ada").await;
    let (mut stream, _) = ready_stream(&app, &ada).await;

    let cut: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(cut, 1, "the instance's listener connection was cut");
    let receipt = executed(order(&app, &ada, "AAPL", "buy", "1").await).await;

    let trade = stream.next_named("trade", Duration::from_secs(10)).await.expect("the trade arrives after all");
    assert_eq!(serde_json::from_str::<TradeEvent>(&trade.data).unwrap().trade_id, receipt.trade_id);
}

#[tokio::test]
async fn one_user_cannot_hold_unlimited_streams() {
    let app = TestApp::spawn().await;
    let ada = learner(&app, "ada").await;
    let mut open = Vec::new();
    for _ in 0..papertrade::server::platform::config::STREAMS_PER_USER {
        open.push(EventReader::open(&app, &ada, None).await);
    }
    let refused = ada.get(format!("{}/events", app.address)).send().await.unwrap();
    assert_eq!(refused.status(), 409);
}

#[tokio::test]
async fn one_client_address_cannot_hold_unlimited_streams_whatever_its_accounts() {
    let app = TestApp::spawn_with(&[("LIVE_STREAMS_PER_CLIENT", "3"), ("TRUSTED_PROXY_HEADER", "X-Real-IP")]).await;
    let open_from = |client: reqwest::Client, address: &'static str| {
        let request = client.get(format!("{}/events", app.address)).header("x-real-ip", address);
        async move { request.send().await.unwrap() }
    };
    let mut open = Vec::new();
    for name in ["ada", "bob", "cyd"] {
        let stream = open_from(learner(&app, name).await, "198.51.100.7").await;
        assert_eq!(stream.status(), 200, "{name}");
        open.push(stream);
    }
    let refused = open_from(learner(&app, "dee").await, "198.51.100.7").await;
    assert_eq!(refused.status(), 409, "a fourth account from the same address");
    assert!(refused.text().await.unwrap().contains("from your network"), "says why");
    assert_eq!(open_from(learner(&app, "eve").await, "203.0.113.8").await.status(), 200, "another address");
    drop(open);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does_on_whichever_instance_that_happens() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let laptop = learner(&app, "ada").await;
    let (phone, tablet) = (browser(), browser());
    for client in [&phone, &tablet] {
        let form = [("email", "ada@example.com"), ("password", crate::auth::PASSWORD)];
        assert!(app.call_as(client, "log_in", &form).await.status().is_success());
    }
    // Every page is open on the other instance.
    let (mut on_phone, _) = ready_stream(&other, &phone).await;
    let (mut on_tablet, _) = ready_stream(&other, &tablet).await;
    let (mut on_laptop, _) = ready_stream(&other, &laptop).await;

    let logout = phone.post(format!("{}/auth/logout", app.address)).send().await.unwrap();
    assert!(logout.status().is_redirection());
    assert!(on_phone.ends_within(SOON).await, "the phone's stream ends with its session");
    assert!(!on_tablet.ends_within(QUIET).await, "the tablet's session goes on, and its stream");

    let change = [("current_password", crate::auth::PASSWORD), ("new_password", "a brand new passphrase")];
    assert_eq!(app.call_as(&laptop, "change_password", &change).await.status(), 200);
    assert!(on_tablet.ends_within(SOON).await, "a new password ends the other sessions' streams");
    // The laptop's session goes on under a new id; its page reconnects with it.
    assert!(on_laptop.ends_within(SOON).await, "the old id's stream ends too");
    let (mut reconnected, _) = ready_stream(&other, &laptop).await;
    assert!(!reconnected.ends_within(QUIET).await, "and the new id's stream stays");

    let deleted = app.call_as(&laptop, "delete_account", &[("confirmation", "ada")]).await;
    assert!(deleted.status().is_success() || deleted.status().is_redirection(), "{}", deleted.status());
    assert!(reconnected.ends_within(SOON).await, "a deleted account's streams end");
}
