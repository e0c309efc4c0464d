//! The coach through real trades and the scheduled run, the notification centre, and the
//! watchlist with its price alerts — against a real PostgreSQL.

use crate::harness::{browser, publish_notes, TestApp};
use crate::portfolios::game_portfolio_for;
use crate::trading::{executed, learner, order, order_in};
use papertrade::domain::coach::CoachSettings;
use papertrade::server::coach;
use papertrade::server::watchlist::triggers;
use papertrade::wire::notifications::{NotificationPage, NotificationView};
use papertrade::wire::watchlist::{AlertView, WatchlistEntry};
use papertrade::wire::AppError;

async fn centre(app: &TestApp, client: &reqwest::Client, page: &str) -> NotificationPage {
    let response = app.call_as(client, "notifications", &[("page", page)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The trigger types of the user's notifications, newest first.
async fn triggers(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    centre(app, client, "1").await.items.into_iter().map(|n| n.trigger_type).collect()
}

async fn unread(app: &TestApp, client: &reqwest::Client) -> i64 {
    app.call_as(client, "unread_count", &[]).await.json().await.unwrap()
}

async fn run_schedule(app: &TestApp) -> usize {
    coach::scheduled_round(&app.pool, &app.state.market, &CoachSettings::default(), chrono::Utc::now())
        .await
        .expect("the scheduled run succeeds")
}

#[tokio::test]
async fn a_new_account_is_welcomed_once() {
    let app = TestApp::spawn().await;
    let ada = learner(&app, "ada").await;
    let page = centre(&app, &ada, "1").await;
    assert_eq!((page.total, page.unread), (1, 1));
    let welcome = &page.items[0];
    assert_eq!((welcome.trigger_type.as_str(), welcome.link.as_deref()), ("welcome", Some("/markets")));
    assert!(welcome.message.contains("$10,000.00"), "{}", welcome.message);
    assert_eq!(unread(&app, &browser()).await, 0, "signed out, the badge count is 0");
}

#[tokio::test]
async fn the_first_trade_teaches_once() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    assert_eq!(triggers(&app, &ada).await, ["first_trade", "welcome"]);
}

/// A market buy of one share of `symbol` in `client`'s portfolio `portfolio`.
async fn buy_in(app: &TestApp, client: &reqwest::Client, portfolio: &str, symbol: &str) {
    let key = uuid::Uuid::new_v4().to_string();
    executed(order_in(app, client, portfolio, (symbol, "buy", "1"), &key).await).await;
}

#[tokio::test]
async fn a_game_portfolio_is_coached_on_its_own_track_and_a_reset_keeps_the_personal_one() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    let game = game_portfolio_for(&app, "ada", "5000.00").await.to_string();
    buy_in(&app, &ada, &game, "MSFT").await;
    buy_in(&app, &ada, &game, "MSFT").await;
    assert_eq!(triggers(&app, &ada).await, ["first_trade", "first_trade", "welcome"], "once per track");

    let reset = app.call_as(&ada, "reset_portfolio", &[("confirm", "yes")]).await;
    assert!(reset.status().is_success() || reset.status().is_redirection(), "reset answered {}", reset.status());
    executed(order(&app, &ada, "KO", "buy", "1").await).await;
    assert_eq!(triggers(&app, &ada).await, ["first_trade", "first_trade", "welcome"], "not taught again after a reset");
}

#[tokio::test]
async fn a_concentrated_portfolio_is_flagged_once_per_cooldown() {
    let app = TestApp::spawn_with_fixed_price("100.00").await;
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "AAPL", "buy", "39").await).await; // 39% of $10,000: not yet
    assert!(!triggers(&app, &ada).await.contains(&"concentration".to_owned()));
    executed(order(&app, &ada, "AAPL", "buy", "2").await).await; // 41%
    executed(order(&app, &ada, "AAPL", "buy", "1").await).await; // 42%, within the cooldown
    assert_eq!(triggers(&app, &ada).await, ["concentration", "first_trade", "welcome"]);
    let note = &centre(&app, &ada, "1").await.items[0];
    assert_eq!(note.link.as_deref(), Some("/stocks/AAPL"));
    assert_eq!(run_schedule(&app).await, 0, "the schedule respects the same cooldown");
}

#[tokio::test]
async fn a_price_drop_becomes_a_big_loss_and_a_milestone_on_the_schedule() {
    let (app, dial) = TestApp::spawn_with_dial("100.00").await;
    let ada = learner(&app, "ada").await;
    let bob = learner(&app, "bob").await;
    executed(order(&app, &ada, "TSLA", "buy", "35").await).await; // 35% of the portfolio
    executed(order(&app, &bob, "TSLA", "buy", "1").await).await;
    assert_eq!(run_schedule(&app).await, 0, "nothing is due at cost");

    dial.set("70.00"); // −30% on TSLA: ada's total return is 6,500 + 2,450 − 10,000 = −10.5%

    assert_eq!(run_schedule(&app).await, 3, "ada's big loss and milestone, bob's big loss");
    let mut adas = triggers(&app, &ada).await;
    adas[..2].sort(); // written in one run, at one time
    assert_eq!(adas, ["big_loss", "milestone", "first_trade", "welcome"]);
    assert_eq!(triggers(&app, &bob).await, ["big_loss", "first_trade", "welcome"]);
    assert_eq!(run_schedule(&app).await, 0, "each fires once per cooldown");
}

#[tokio::test]
async fn many_trades_in_a_day_are_called_overtrading_once() {
    let app = TestApp::spawn_with_fixed_price("10.00").await;
    let ada = learner(&app, "ada").await;
    for _ in 0..11 {
        executed(order(&app, &ada, "F", "buy", "1").await).await;
    }
    let kinds = triggers(&app, &ada).await;
    assert_eq!(kinds.iter().filter(|k| *k == "overtrading").count(), 1, "{kinds:?}");
}

#[tokio::test]
async fn the_centre_pages_marks_read_and_dismisses_only_the_callers_notifications() {
    let app = TestApp::spawn_with_fixed_price("1.00").await;
    let ada = learner(&app, "ada").await;
    let bob = learner(&app, "bob").await;
    publish_notes(&app.pool, "ada", 24).await;

    let first = centre(&app, &ada, "1").await;
    assert_eq!((first.items.len(), first.page, first.pages, first.total, first.unread), (20, 1, 2, 25, 25));
    assert!(first.items.windows(2).all(|p| p[0].created_at >= p[1].created_at), "newest first");
    let last = centre(&app, &ada, "99").await;
    assert_eq!((last.items.len(), last.page), (5, 2));

    let newest: &NotificationView = &first.items[0];
    let id = newest.id.to_string();
    assert_eq!(app.call_as(&bob, "mark_notification_read", &[("id", &id)]).await.status(), 404, "not bob's");
    assert_eq!(app.call_as(&bob, "dismiss_notification", &[("id", &id)]).await.status(), 404, "not bob's");
    assert_eq!(app.call_as(&ada, "mark_notification_read", &[("id", &id)]).await.status(), 200);
    assert_eq!(unread(&app, &ada).await, 24);
    assert_eq!(app.call_as(&ada, "dismiss_notification", &[("id", &id)]).await.status(), 200);
    let after = centre(&app, &ada, "1").await;
    assert_eq!((after.total, after.items[0].id == newest.id), (24, false), "dismissed ones leave the centre");
    let marked: i64 = app.call_as(&ada, "mark_all_notifications_read", &[]).await.json().await.unwrap();
    assert_eq!((marked, unread(&app, &ada).await, unread(&app, &bob).await), (24, 0, 1));
    let stamps: (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE read_at IS NOT NULL), count(*) FILTER (WHERE dismissed_at IS NOT NULL)
         FROM notifications JOIN users u ON u.id = user_id WHERE u.username = 'ada'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stamps, (25, 1), "read_at and dismissed_at are recorded");
    assert_eq!(app.call_as(&browser(), "notifications", &[]).await.status(), 401);
    assert_eq!(app.call_as(&ada, "mark_notification_read", &[("id", "nope")]).await.status(), 404);
}

async fn watchlist(app: &TestApp, client: &reqwest::Client) -> Vec<WatchlistEntry> {
    let response = app.call_as(client, "my_watchlist", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn field_error(response: reqwest::Response, field: &str) -> String {
    assert_eq!(response.status(), 400);
    let error: AppError = response.json().await.unwrap();
    error.message_for(field).unwrap_or_else(|| panic!("no message for {field}: {error:?}"))
}

#[tokio::test]
async fn a_watchlist_adds_lists_and_removes_symbols_with_prices() {
    let app = TestApp::spawn_with_fixed_price("42.00").await;
    let ada = learner(&app, "ada").await;
    for symbol in ["msft", "AAPL", "MSFT"] {
        assert_eq!(app.call_as(&ada, "add_to_watchlist", &[("symbol", symbol)]).await.status(), 200);
    }
    let entries = watchlist(&app, &ada).await;
    let listed: Vec<(&str, String)> =
        entries.iter().map(|e| (e.symbol.as_str(), e.quote.as_ref().unwrap().price.to_string())).collect();
    assert_eq!(listed, [("MSFT", "42.00".to_owned()), ("AAPL", "42.00".to_owned())]);
    assert_eq!(entries[1].name, "Apple Inc");

    let unknown = app.call_as(&ada, "add_to_watchlist", &[("symbol", "ZZZZZ")]).await;
    assert_eq!(unknown.status(), 404);
    let bad = field_error(app.call_as(&ada, "add_to_watchlist", &[("symbol", "$$")]).await, "symbol").await;
    assert!(bad.contains("letters"), "{bad}");

    assert_eq!(app.call_as(&ada, "remove_from_watchlist", &[("symbol", "msft")]).await.status(), 200);
    assert_eq!(watchlist(&app, &ada).await.len(), 1);
    assert!(watchlist(&app, &learner(&app, "bob").await).await.is_empty(), "lists are per user");
}

#[tokio::test]
async fn a_price_alert_fires_once_when_the_price_crosses_it() {
    let (app, dial) = TestApp::spawn_with_dial("100.00").await;
    let ada = learner(&app, "ada").await;
    let create = |direction: &'static str, threshold: &'static str| {
        let form = [("symbol", "AAPL"), ("direction", direction), ("threshold", threshold)];
        let (app, ada) = (&app, &ada);
        async move { app.call_as(ada, "create_price_alert", &form).await }
    };
    let above: AlertView = create("above", "110").await.json().await.unwrap();
    let below: AlertView = create("below", "90.50").await.json().await.unwrap();
    let wrong_side = field_error(create("above", "95").await, "threshold").await;
    assert!(wrong_side.contains("$100.00"), "{wrong_side}");
    assert!(field_error(create("sideways", "95").await, "direction").await.contains("above or below"));
    assert!(!field_error(create("below", "-5").await, "threshold").await.is_empty());
    assert_eq!(watchlist(&app, &ada).await[0].symbol, "AAPL", "an alert puts its symbol on the watchlist");

    dial.set("109.99");
    assert_eq!(triggers::check(&app.pool, &app.state.market, chrono::Utc::now()).await.unwrap(), 0);
    dial.set("110.00");
    assert_eq!(triggers::check(&app.pool, &app.state.market, chrono::Utc::now()).await.unwrap(), 1);
    assert_eq!(triggers::check(&app.pool, &app.state.market, chrono::Utc::now()).await.unwrap(), 0, "fires once");

    let note = &centre(&app, &ada, "1").await.items[0];
    assert_eq!((note.trigger_type.as_str(), note.title.as_str()), ("price_alert", "AAPL rose above $110.00"));
    let alerts = &watchlist(&app, &ada).await[0].alerts;
    let states: Vec<(uuid::Uuid, Option<String>)> =
        alerts.iter().map(|a| (a.id, a.triggered_price.map(|p| p.to_string()))).collect();
    assert_eq!(states, [(below.id, None), (above.id, Some("110.00".to_owned()))], "waiting first, then fired");

    let id = below.id.to_string();
    let bob = learner(&app, "bob").await;
    assert_eq!(app.call_as(&bob, "delete_price_alert", &[("id", &id)]).await.status(), 404, "not bob's");
    assert_eq!(app.call_as(&ada, "delete_price_alert", &[("id", &id)]).await.status(), 200);
    assert_eq!(watchlist(&app, &ada).await[0].alerts.len(), 1);
}

#[tokio::test]
async fn one_instance_at_a_time_runs_a_scheduled_job() {
    let app = TestApp::spawn().await;
    let (release, hold) = tokio::sync::oneshot::channel::<()>();
    let (holding, held) = tokio::sync::oneshot::channel::<()>();
    let first = tokio::spawn({
        let pool = app.pool.clone();
        let job = async move {
            holding.send(()).unwrap();
            hold.await.ok()
        };
        async move { papertrade::server::platform::db::exclusively(&pool, 42, job).await.unwrap() }
    });
    held.await.expect("the first instance takes the job");

    let second = papertrade::server::platform::db::exclusively(&app.pool, 42, async { "ran" }).await.unwrap();
    assert_eq!(second, None, "skipped while the first holds the job");
    release.send(()).unwrap();
    assert_eq!(first.await.unwrap(), Some(Some(())));
    let third = papertrade::server::platform::db::exclusively(&app.pool, 42, async { "ran" }).await.unwrap();
    assert_eq!(third, Some("ran"), "free again afterwards");
}

#[tokio::test]
async fn an_account_deleted_during_the_scheduled_round_is_skipped_and_the_round_goes_on() {
    let (app, dial) = TestApp::spawn_with_dial("100.00").await;
    let ada = learner(&app, "ada").await;
    let bob = learner(&app, "bob").await;
    executed(order(&app, &ada, "TSLA", "buy", "35").await).await;
    executed(order(&app, &bob, "TSLA", "buy", "1").await).await;
    // Bob's account disappears just as the round writes his advice (the housekeeping job deleting
    // an expired guest at the same moment): the write then refers to a user that is gone.
    sqlx::raw_sql(
        "CREATE FUNCTION vanish() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             DELETE FROM users WHERE id = NEW.user_id AND username = 'bob';
             RETURN NEW;
         END $$;
         CREATE TRIGGER vanish BEFORE INSERT ON coach_marks FOR EACH ROW EXECUTE FUNCTION vanish();",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    dial.set("70.00");

    assert_eq!(run_schedule(&app).await, 2, "ada's big loss and milestone; nothing for bob");
    let mut adas = triggers(&app, &ada).await;
    adas[..2].sort();
    assert_eq!(adas, ["big_loss", "milestone", "first_trade", "welcome"]);
}
