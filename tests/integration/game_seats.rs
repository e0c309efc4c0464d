//! Trading in a game: the portfolio a learner selects (joining selects the game's; the header's
//! switcher takes them back) is the one every page, order and download acts on, after the
//! ownership check; and a fill in a game reaches the open pages of its organiser and players on
//! every instance, and no one else's.

use crate::games::{create, created, guest, join, seat};
use crate::harness::TestApp;
use crate::live::{ready_stream, SOON};
use crate::trading::{executed, learner, order, portfolio};
use papertrade::wire::live::GameChangedEvent;
use papertrade::wire::portfolios::PortfolioChoices;
use std::time::Duration;

/// Longer than the hub gathers a game's changes, plus the trip to the stream.
const GATHERED_AND_SENT: Duration = Duration::from_millis(600);

async fn choices(app: &TestApp, client: &reqwest::Client) -> PortfolioChoices {
    let response = app.call_as(client, "my_portfolios", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn select(app: &TestApp, client: &reqwest::Client, portfolio: &str) -> reqwest::Response {
    app.call_as(client, "select_portfolio", &[("portfolio", portfolio)]).await
}

async fn csv(app: &TestApp, client: &reqwest::Client) -> String {
    client.get(format!("{}/history.csv", app.address)).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_selected_portfolio_is_the_one_pages_orders_and_the_csv_act_on() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("starting_cash", "50000"), ("late_joining", "on")]).await).await;
    let student = learner(&app, "sam").await;
    executed(order(&app, &student, "MSFT", "buy", "1").await).await;
    let seat = seat(join(&app, &student, &game.join_code).await).await;

    let listed = choices(&app, &student).await;
    let labels: Vec<&str> = listed.choices.iter().map(|choice| choice.label.as_str()).collect();
    assert_eq!(labels, ["Personal", "Game: Period 3 contest"]);
    assert_eq!(listed.selected, seat.portfolio_id, "joining selects the game");
    assert_eq!(listed.current().and_then(|choice| choice.game_id), Some(game.id));

    executed(order(&app, &student, "AAPL", "buy", "10").await).await;
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$49,000.00", "the order went into the game");
    let game_csv = csv(&app, &student).await;
    assert!(game_csv.contains("AAPL") && !game_csv.contains("MSFT"), "{game_csv}");

    let personal = listed.choices[0].id.to_string();
    assert_eq!(select(&app, &student, &personal).await.status(), 200);
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$9,900.00", "back to the personal portfolio");
    let personal_csv = csv(&app, &student).await;
    assert!(personal_csv.contains("MSFT") && !personal_csv.contains("AAPL"), "{personal_csv}");

    // Someone else's portfolio cannot be selected, and the selection stays as it was.
    let teachers = choices(&app, &teacher).await.selected.to_string();
    assert_eq!(select(&app, &student, &teachers).await.status(), 404);
    assert_eq!(select(&app, &student, "not-an-id").await.status(), 404);
    assert_eq!(choices(&app, &student).await.selected.to_string(), personal);
    assert_eq!(app.call("select_portfolio", &[("portfolio", personal.as_str())]).await.status(), 401);
}

#[tokio::test]
async fn a_selection_that_no_longer_holds_falls_back_to_the_personal_portfolio() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("starting_cash", "50000"), ("late_joining", "on")]).await).await;
    let student = guest(&app).await;
    let seat = seat(join(&app, &student, &game.join_code).await).await;
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$50,000.00");

    sqlx::query("UPDATE portfolios SET archived_at = now() WHERE id = $1")
        .bind(seat.portfolio_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$10,000.00");
    let listed = choices(&app, &student).await;
    assert_eq!((listed.choices.len(), listed.current().map(|c| c.label.as_str())), (1, Some("Personal")));
    executed(order(&app, &student, "AAPL", "buy", "1").await).await;
    assert_eq!(portfolio(&app, &student).await.cash.to_usd(), "$9,900.00");
}

#[tokio::test]
async fn a_fill_in_a_game_reaches_its_organiser_and_players_on_another_instance_and_no_one_else() {
    let instance_a = TestApp::spawn_with_fixed_price("100").await;
    let instance_b = instance_a.another_instance().await;
    let teacher = learner(&instance_a, "teacher").await;
    let game = created(create(&instance_a, &teacher, 1, &[("late_joining", "on")]).await).await;
    let player = learner(&instance_a, "sam").await;
    seat(join(&instance_a, &player, &game.join_code).await).await;
    let outsider = learner(&instance_a, "olga").await;
    let latecomer = learner(&instance_a, "lee").await;
    let (mut teachers_tab, _) = ready_stream(&instance_b, &teacher).await;
    let (mut outsiders_tab, _) = ready_stream(&instance_b, &outsider).await;
    // Opened before joining: the stream follows the game from the join on.
    let (mut latecomers_tab, _) = ready_stream(&instance_b, &latecomer).await;
    // A stream opened as the new instance's listener connects may be told to resync, which
    // reloads every game it follows: let that pass before counting.
    while teachers_tab.next_named("game", GATHERED_AND_SENT).await.is_some() {}
    seat(join(&instance_a, &latecomer, &game.join_code).await).await;
    for tab in [&mut teachers_tab, &mut latecomers_tab] {
        tab.next_named("game", SOON).await.expect("the join changes the standings");
    }

    executed(order(&instance_a, &player, "AAPL", "buy", "5").await).await;
    for tab in [&mut teachers_tab, &mut latecomers_tab] {
        let event = tab.next_named("game", SOON).await.expect("the fill reaches the game's pages");
        let event: GameChangedEvent = serde_json::from_str(&event.data).unwrap();
        assert_eq!(event.game_id, game.id);
    }
    // A trade in a personal portfolio changes no game.
    executed(order(&instance_a, &outsider, "AAPL", "buy", "1").await).await;
    let quiet = Duration::from_millis(1500);
    assert!(outsiders_tab.next_named("game", quiet).await.is_none(), "an outsider heard of the game");
    assert!(teachers_tab.next_named("game", quiet).await.is_none(), "a personal trade moved the game");
}
