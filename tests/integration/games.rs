//! Games over HTTP against a real PostgreSQL: creating one (not as a guest), joining with its
//! code (guests too; once), late joining, and the game's rules on the order path — each refusal
//! naming its rule, the commission charged to the cent — while the personal portfolio is not
//! touched.

use crate::harness::TestApp;
use crate::trading::{executed, learner, order_in, portfolio};
use chrono::{Duration, Utc};
use papertrade::domain::Money;
use papertrade::wire::games::{GameSeat, GameView, Leaderboard, MyGame};
use papertrade::wire::AppError;
use uuid::Uuid;

pub async fn guest(app: &TestApp) -> reqwest::Client {
    let client = crate::harness::browser();
    let response = app.call_as(&client, "start_guest", &[]).await;
    assert!(crate::harness::session_cookie(&response).is_some(), "a guest session");
    client
}

/// Creates a game that started `started_hours_ago` (negative: starts later) and runs a week.
pub async fn create(
    app: &TestApp,
    client: &reqwest::Client,
    started_hours_ago: i64,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let starts = (Utc::now() - Duration::hours(started_hours_ago)).to_rfc3339();
    let ends = (Utc::now() + Duration::days(7)).to_rfc3339();
    let mut form = vec![
        ("name", "Period 3 contest"),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("starting_cash", "10000"),
    ];
    form.retain(|(name, _)| !extra.iter().any(|(given, _)| given == name));
    form.extend_from_slice(extra);
    app.call_as(client, "create_game", &form).await
}

pub async fn created(response: reqwest::Response) -> GameView {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub async fn join(app: &TestApp, client: &reqwest::Client, code: &str) -> reqwest::Response {
    app.call_as(client, "join_game", &[("code", code)]).await
}

pub async fn seat(response: reqwest::Response) -> GameSeat {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn board(app: &TestApp, client: &reqwest::Client, game: &str) -> reqwest::Response {
    app.call_as(client, "game_leaderboard", &[("game", game)]).await
}

async fn refused(response: reqwest::Response, status: u16) -> AppError {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_teacher_creates_a_game_and_a_guest_joins_with_its_code_once() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on"), ("starting_cash", "50000")]).await).await;
    assert_eq!((game.name.as_str(), game.starting_cash.to_usd().as_str()), ("Period 3 contest", "$50,000.00"));
    assert_eq!((game.commission.as_str(), game.late_joining), ("no commission", true));
    assert_eq!(game.join_code.len(), 7, "K7M-2QX: {}", game.join_code);

    let student = guest(&app).await;
    let typed = game.join_code.replace('-', " ").to_lowercase();
    let first = seat(join(&app, &student, &typed).await).await;
    assert!(first.new_player);
    let again = seat(join(&app, &student, &game.join_code).await).await;
    assert_eq!((again.portfolio_id, again.new_player), (first.portfolio_id, false));
    let in_game: papertrade::domain::valuation::PortfolioValue = app
        .call_as(&student, "my_portfolio", &[("portfolio", &first.portfolio_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(in_game.cash.to_usd(), "$50,000.00");
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$50,000.00", "joining selects the game's portfolio");
    let personal: papertrade::wire::portfolios::PortfolioChoices =
        app.call_as(&student, "my_portfolios", &[]).await.json().await.unwrap();
    let personal = personal.choices[0].id.to_string();
    assert!(app.call_as(&student, "select_portfolio", &[("portfolio", &personal)]).await.status().is_success());
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$10,000.00", "the personal portfolio is its own");

    assert_eq!(
        refused(create(&app, &student, 1, &[]).await, 403).await,
        AppError::Forbidden,
        "guests join, not create"
    );
    let unknown = refused(join(&app, &student, "ZZZ-ZZZ").await, 404).await;
    assert_eq!(unknown.to_string(), "a game with the code ZZZ-ZZZ was not found");
    let typo = refused(join(&app, &student, "K7M-2Q0").await, 400).await;
    assert!(typo.message_for("code").unwrap().contains("no 0, 1, I, L or O"), "{typo:?}");
}

#[tokio::test]
async fn bad_game_fields_name_the_field() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[("name", " ")], "name"),
        (&[("starting_cash", "0")], "starting_cash"),
        (&[("commission_kind", "percent"), ("commission_value", "7")], "commission_value"),
        (&[("commission_kind", "bribe")], "commission_kind"),
        (&[("max_position_percent", "101")], "max_position_percent"),
        (&[("allowed_kinds", "limit,iceberg")], "allowed_kinds"),
        (&[("starts_at", "next tuesday")], "starts_at"),
    ];
    for (fields, field) in cases {
        let error = refused(create(&app, &teacher, 1, fields).await, 400).await;
        assert!(error.message_for(field).is_some(), "{fields:?} → {error:?}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM games").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_game_without_late_joining_takes_no_one_after_its_start() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let started = created(create(&app, &teacher, 1, &[]).await).await;
    let late = refused(join(&app, &learner(&app, "ada").await, &started.join_code).await, 409).await;
    assert_eq!(late.to_string(), "This game has started and does not take late players; ask its organiser");
    let upcoming = created(create(&app, &teacher, -24, &[]).await).await;
    let early = seat(join(&app, &learner(&app, "grace").await, &upcoming.join_code).await).await;
    assert!(early.new_player);
}

#[tokio::test]
async fn the_games_rules_refuse_orders_by_name_and_its_commission_is_charged_to_the_cent() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let rules = [
        ("late_joining", "on"),
        ("commission_kind", "per_trade"),
        ("commission_value", "4.95"),
        ("max_position_percent", "25"),
        ("quick_sell_minutes", "30"),
        ("allowed_kinds", "limit"),
    ];
    let game = created(create(&app, &teacher, 1, &rules).await).await;
    let ada = learner(&app, "ada").await;
    let seat = seat(join(&app, &ada, &game.join_code).await).await;
    let in_game = seat.portfolio_id.to_string();
    let key = || Uuid::new_v4().to_string();

    // The stock page of the game portfolio carries the commission, for the order preview.
    let stock: papertrade::wire::market::StockView =
        app.call_as(&ada, "stock_detail", &[("symbol", "AAPL"), ("portfolio", &in_game)]).await.json().await.unwrap();
    let commission = stock.position.expect("signed in").commission;
    assert_eq!(commission, papertrade::domain::game::Commission::PerTrade(Money::parse("4.95").unwrap()));

    // $2,500 of $10,000 is exactly 25%, plus $4.95.
    let receipt = executed(order_in(&app, &ada, &in_game, ("AAPL", "buy", "25"), &key()).await).await;
    assert_eq!(receipt.cash_after, Money::parse("7495.05").unwrap());
    let commission: rust_decimal::Decimal = sqlx::query_scalar("SELECT commission FROM trades WHERE id = $1")
        .bind(receipt.trade_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(commission.to_string(), "4.95");

    let more = refused(order_in(&app, &ada, &in_game, ("AAPL", "buy", "1"), &key()).await, 400).await;
    assert_eq!(
        more.to_string(),
        "This game's position limit is 25% of your portfolio in one stock: after this order AAPL would be 26.01%"
    );
    let quick = refused(order_in(&app, &ada, &in_game, ("AAPL", "sell", "1"), &key()).await, 400).await;
    assert!(quick.to_string().starts_with("This game does not allow selling within 30 minutes of buying"), "{quick}");
    let stop = [
        ("symbol", "AAPL"),
        ("side", "buy"),
        ("quantity", "1"),
        ("kind", "stop"),
        ("stop_price", "110"),
        ("idempotency_key", &key()),
        ("portfolio", &in_game),
    ];
    let stop = refused(app.call_as(&ada, "submit_order", &stop).await, 400).await;
    assert_eq!(stop.to_string(), "This game does not allow stop orders");
    // The teacher sees each refusal, the latest one in the player's words.
    let class: Option<papertrade::wire::games::ClassView> =
        app.call_as(&teacher, "game_class", &[("game", &game.id.to_string())]).await.json().await.unwrap();
    let player = &class.expect("the organiser's view").players[0];
    assert_eq!((player.refusals, player.last_refusal.as_deref()), (3, Some("This game does not allow stop orders")));
    let limit = [
        ("symbol", "AAPL"),
        ("side", "buy"),
        ("quantity", "1"),
        ("kind", "limit"),
        ("limit_price", "90"),
        ("idempotency_key", &key()),
        ("portfolio", &in_game),
    ];
    assert_eq!(app.call_as(&ada, "submit_order", &limit).await.status(), 200);

    // The personal portfolio plays by no game's rules.
    let mine: papertrade::wire::portfolios::PortfolioChoices =
        app.call_as(&ada, "my_portfolios", &[]).await.json().await.unwrap();
    let personal = mine.choices[0].id.to_string();
    let personal = executed(order_in(&app, &ada, &personal, ("AAPL", "buy", "40"), &key()).await).await;
    assert_eq!(personal.cash_after.to_usd(), "$6,000.00");
}

#[tokio::test]
async fn a_game_that_has_not_started_refuses_orders_and_says_when_it_opens() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, -24, &[]).await).await;
    let ada = learner(&app, "ada").await;
    let seat = seat(join(&app, &ada, &game.join_code).await).await;
    let early =
        order_in(&app, &ada, &seat.portfolio_id.to_string(), ("AAPL", "buy", "1"), &Uuid::new_v4().to_string()).await;
    let opens = game.starts_at.format("%b %-d at %H:%M UTC");
    assert_eq!(refused(early, 400).await.to_string(), format!("This game has not started yet: trading opens {opens}"));
}

#[tokio::test]
async fn the_leaderboard_ranks_by_return_matches_the_ledger_and_shows_only_to_its_game() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let (ada, grace) = (learner(&app, "ada").await, learner(&app, "grace").await);
    let ada_seat = seat(join(&app, &ada, &game.join_code).await).await;
    let grace_seat = seat(join(&app, &grace, &game.join_code).await).await;
    let key = || Uuid::new_v4().to_string();
    executed(order_in(&app, &ada, &ada_seat.portfolio_id.to_string(), ("AAPL", "buy", "10"), &key()).await).await;
    executed(order_in(&app, &grace, &grace_seat.portfolio_id.to_string(), ("AAPL", "buy", "20"), &key()).await).await;
    dial.set("110");

    let game_id = game.id.to_string();
    let seen: Leaderboard = board(&app, &teacher, &game_id).await.json().await.unwrap();
    let lines: Vec<(usize, &str, String, String)> = seen
        .rows
        .iter()
        .map(|row| (row.place, row.username.as_str(), row.value.to_usd(), row.total_return.signed()))
        .collect();
    assert_eq!(
        lines,
        [
            (1, "grace", "$10,200.00".to_owned(), "+2.00%".to_owned()),
            (2, "ada", "$10,100.00".to_owned(), "+1.00%".to_owned())
        ]
    );
    assert_eq!(seen.game.join_code, game.join_code, "the organiser sees the code");

    // Each value is what the ledger adds up to: the starting cash, less buys, plus sells, plus
    // the shares the trades leave at today's price.
    for row in &seen.rows {
        let (cash_flow, shares): (rust_decimal::Decimal, i64) = sqlx::query_as(
            "SELECT coalesce(sum(CASE t.side WHEN 'buy' THEN -t.amount - t.commission ELSE t.amount - t.commission END), 0),
                    coalesce(sum(CASE t.side WHEN 'buy' THEN t.quantity ELSE -t.quantity END), 0)::bigint
             FROM trades t JOIN game_players gp ON gp.portfolio_id = t.portfolio_id JOIN users u ON u.id = gp.user_id
             WHERE gp.game_id = $1 AND u.username = $2",
        )
        .bind(game.id)
        .bind(&row.username)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let recomputed = rust_decimal::Decimal::from(10_000) + cash_flow + rust_decimal::Decimal::from(shares * 110);
        assert_eq!(row.value.amount(), recomputed, "{}", row.username);
        assert_eq!(row.trades, 1);
    }
    let mine: Leaderboard = board(&app, &ada, &game_id).await.json().await.unwrap();
    assert_eq!(mine.rows.iter().filter(|row| row.is_you).map(|row| row.username.as_str()).collect::<Vec<_>>(), ["ada"]);
    let stranger = learner(&app, "mallory").await;
    assert_eq!(refused(board(&app, &stranger, &game_id).await, 404).await, AppError::NotFound("that game".into()));
}

#[tokio::test]
async fn a_learners_games_and_the_public_ones_are_listed_and_a_guest_keeps_their_seat_on_upgrading() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let private = created(create(&app, &teacher, -1, &[("name", "Period 3")]).await).await;
    let public = created(create(&app, &teacher, -1, &[("name", "Open league"), ("is_public", "on")]).await).await;
    let student = guest(&app).await;
    let seat = seat(join(&app, &student, &private.join_code).await).await;

    let listed: Vec<GameView> = app.call_as(&student, "public_games", &[]).await.json().await.unwrap();
    assert_eq!(listed.iter().map(|game| game.name.as_str()).collect::<Vec<_>>(), ["Open league"]);
    assert_eq!(listed[0].join_code, public.join_code);
    let organised: Vec<MyGame> = app.call_as(&teacher, "my_games", &[]).await.json().await.unwrap();
    assert_eq!(organised.len(), 2);
    assert!(organised.iter().all(|mine| mine.organiser && mine.portfolio_id.is_none()));

    let upgrade = [("email", "sam@example.com"), ("username", "sam"), ("password", crate::auth::PASSWORD)];
    assert!(app.call_as(&student, "upgrade_guest", &upgrade).await.status().is_success());
    let played: Vec<MyGame> = app.call_as(&student, "my_games", &[]).await.json().await.unwrap();
    assert_eq!(played.len(), 1);
    assert_eq!(
        (played[0].game.name.as_str(), played[0].organiser, played[0].portfolio_id),
        ("Period 3", false, Some(seat.portfolio_id))
    );
}
