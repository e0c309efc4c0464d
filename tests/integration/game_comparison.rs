//! Each player's value over a finished game against its benchmark, over HTTP: the viewer's own
//! line by default (the winner's for an organiser), any place on request, for those who may see
//! the board, and only once the standings are final.

use crate::games::{create, created, join, seat};
use crate::harness::TestApp;
use crate::trading::{executed, learner, order};
use papertrade::wire::games::ValueComparison;

async fn comparison(app: &TestApp, client: &reqwest::Client, game: &str, place: &str) -> reqwest::Response {
    app.call_as(client, "game_comparison", &[("game", game), ("place", place)]).await
}

/// The first and last value of a line, in dollars.
fn ends(line: &[papertrade::domain::quote::PricePoint]) -> (String, String) {
    (line[0].price.to_usd(), line[line.len() - 1].price.to_usd())
}

#[tokio::test]
async fn a_finished_games_chart_shows_each_players_value_from_their_join_to_the_end_beside_spy() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let id = game.id.to_string();
    let (ada, bob, outsider) = (learner(&app, "ada").await, learner(&app, "bob").await, learner(&app, "eve").await);
    seat(join(&app, &ada, &game.join_code).await).await;
    seat(join(&app, &bob, &game.join_code).await).await;
    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    let _ = app.call_as(&teacher, "game_leaderboard", &[("game", id.as_str())]).await; // SPY's start: $100
    assert_eq!(comparison(&app, &ada, &id, "").await.status(), 409, "not before the final standings");

    dial.set("110");
    let after_the_end = game.ends_at + chrono::Duration::minutes(1);
    papertrade::server::games::results::freeze_ended(&app.pool, &app.state.market, after_the_end).await.unwrap();
    dial.set("50"); // today's prices move on; the chart does not

    let bobs: ValueComparison = comparison(&app, &bob, &id, "").await.json().await.unwrap();
    assert_eq!((bobs.place, bobs.username.as_str()), (2, "bob"), "a player's own line first");
    assert_eq!(ends(&bobs.player), ("$10,000.00".to_owned(), "$10,000.00".to_owned()));
    let adas: ValueComparison = comparison(&app, &bob, &id, "1").await.json().await.unwrap();
    assert_eq!(adas.username, "ada");
    assert_eq!(ends(&adas.player), ("$10,000.00".to_owned(), "$10,100.00".to_owned()), "to the final value");
    assert_eq!(adas.player.last().unwrap().at, game.ends_at, "which ends the line at the game's end");
    assert!(adas.player.windows(2).all(|pair| pair[0].at <= pair[1].at), "oldest first");
    assert_eq!(adas.benchmark_symbol, "SPY");
    assert_eq!(
        ends(&adas.benchmark),
        ("$10,000.00".to_owned(), "$11,000.00".to_owned()),
        "the cash in SPY, $100 → $110"
    );
    assert_eq!((adas.benchmark[0].at, adas.benchmark.last().unwrap().at), (game.starts_at, game.ends_at));

    let teachers: ValueComparison = comparison(&app, &teacher, &id, "").await.json().await.unwrap();
    assert_eq!(teachers.username, "ada", "an organiser who did not play sees the winner first");
    assert_eq!(comparison(&app, &bob, &id, "3").await.status(), 404, "no third place");
    assert_eq!(comparison(&app, &bob, &id, "first").await.status(), 404);
    assert_eq!(comparison(&app, &outsider, &id, "1").await.status(), 404, "a private game's chart is its members'");

    let page =
        bob.get(format!("{}/games/{id}?place=1", app.address)).header("accept", "text/html").send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Against the benchmark"), "{html}");
    assert!(html.contains("ada: $10,000.00 to $10,100.00 (+1.00%)"), "the chart's words for place 1: {html}");
    assert!(html.contains("SPY from the start: $10,000.00 to $11,000.00 (+10.00%)"), "{html}");
}
