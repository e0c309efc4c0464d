//! Running a game with others and changing it while it runs, over HTTP: co-organisers (added by
//! the creator only; never a player or a guest) see and manage the class until removed; the end
//! moves while the game runs and never after; the coach's notes on a game portfolio reach its
//! teacher's view.

use crate::games::{create, created, guest, join, seat};
use crate::harness::TestApp;
use crate::trading::{executed, learner, order};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use papertrade::wire::games::{ClassView, Leaderboard, MyGame};
use papertrade::wire::notifications::NotificationPage;
use papertrade::wire::AppError;

async fn class(app: &TestApp, client: &reqwest::Client, game: &str) -> Option<ClassView> {
    app.call_as(client, "game_class", &[("game", game)]).await.json().await.unwrap()
}

async fn add(app: &TestApp, client: &reqwest::Client, game: &str, username: &str) -> reqwest::Response {
    app.call_as(client, "add_organiser", &[("game", game), ("username", username)]).await
}

async fn field_error(response: reqwest::Response, field: &str) -> String {
    assert_eq!(response.status(), 400);
    let error: AppError = response.json().await.unwrap();
    error.message_for(field).unwrap_or_else(|| panic!("no message on {field}: {error:?}")).to_owned()
}

async fn move_end(
    app: &TestApp,
    client: &reqwest::Client,
    game: &str,
    ends_at: &str,
    offset: &str,
) -> reqwest::Response {
    let form = [("game", game), ("ends_at", ends_at), ("utc_offset_minutes", offset)];
    app.call_as(client, "change_game_end", &form).await
}

async fn board(app: &TestApp, client: &reqwest::Client, game: &str) -> Leaderboard {
    app.call_as(client, "game_leaderboard", &[("game", game)]).await.json().await.unwrap()
}

#[tokio::test]
async fn a_co_organiser_runs_the_class_until_removed_and_only_the_creator_adds_organisers() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let id = game.id.to_string();
    let (ada, helper, bob) = (learner(&app, "ada").await, learner(&app, "helper").await, learner(&app, "bob").await);
    let adas = seat(join(&app, &ada, &game.join_code).await).await.portfolio_id.to_string();
    executed(order(&app, &ada, "AAPL", "buy", "2").await).await;
    let adjust = [("game", id.as_str()), ("portfolio", adas.as_str()), ("amount", "50"), ("reason", "Homework")];
    assert_eq!(class(&app, &helper, &id).await, None, "not an organiser yet");
    assert_eq!(app.call_as(&helper, "adjust_cash", &adjust).await.status(), 404);

    let added = add(&app, &teacher, &id, " @HELPER ").await;
    assert_eq!(added.status(), 200);
    assert_eq!(added.json::<String>().await.unwrap(), "helper", "found in any case, named as stored");
    let notes: NotificationPage = app.call_as(&helper, "notifications", &[]).await.json().await.unwrap();
    assert_eq!(notes.items[0].title, "You organise a game");
    let games: Vec<MyGame> = app.call_as(&helper, "my_games", &[]).await.json().await.unwrap();
    assert_eq!((games.len(), games[0].organiser, games[0].portfolio_id), (1, true, None), "listed as theirs to run");

    let view = class(&app, &helper, &id).await.expect("a co-organiser sees the class");
    let organisers: Vec<(&str, bool)> = view.organisers.iter().map(|o| (o.username.as_str(), o.is_creator)).collect();
    assert_eq!(organisers, [("teacher", true), ("helper", false)]);
    assert!(!view.you_created);
    assert!(class(&app, &teacher, &id).await.unwrap().you_created);
    assert_eq!(app.call_as(&helper, "adjust_cash", &adjust).await.status(), 200, "they manage the class");
    assert_eq!(board(&app, &helper, &id).await.rows[0].holdings, ["AAPL × 2"], "and see every holding");
    let csv = reqwest::Client::get(&helper, format!("{}/games/{id}/standings.csv", app.address)).send().await.unwrap();
    assert_eq!(csv.status(), 200, "and export");

    let by_helper = add(&app, &helper, &id, "bob").await;
    assert_eq!(by_helper.status(), 409, "only the creator adds organisers");
    for (username, why) in [
        ("ada", "A player cannot organise the game too, and ada plays in it"),
        ("teacher", "You created this game: you organise it already"),
        ("nobody-here", "Nobody has the username “nobody-here”"),
    ] {
        assert_eq!(field_error(add(&app, &teacher, &id, username).await, "username").await, why);
    }
    let _guest = guest(&app).await;
    let guest_name: String =
        sqlx::query_scalar("SELECT username FROM users WHERE provider = 'guest'").fetch_one(&app.pool).await.unwrap();
    let refusal = field_error(add(&app, &teacher, &id, &guest_name).await, "username").await;
    assert!(refusal.starts_with("An organiser needs an account, and guest"), "{refusal}");
    assert_eq!(class(&app, &bob, &id).await, None, "a refused add adds nobody");

    let helper_id = view.organisers[1].user_id.to_string();
    let remove = [("game", id.as_str()), ("user", helper_id.as_str())];
    assert_eq!(app.call_as(&helper, "remove_organiser", &remove).await.status(), 409, "not by themself");
    assert_eq!(app.call_as(&teacher, "remove_organiser", &remove).await.status(), 200);
    assert_eq!(class(&app, &helper, &id).await, None, "removed: the class is gone");
    assert_eq!(app.call_as(&helper, "adjust_cash", &adjust).await.status(), 404);
    assert_eq!(app.call_as(&teacher, "remove_organiser", &remove).await.status(), 404, "once");
    assert_eq!(crate::trading::portfolio(&app, &ada).await.cash.to_usd(), "$9,850.00", "one adjustment of $50");
}

#[tokio::test]
async fn the_end_moves_while_the_game_runs_in_the_organisers_zone_and_never_after_it() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let id = game.id.to_string();
    let ada = learner(&app, "ada").await;
    seat(join(&app, &ada, &game.join_code).await).await;

    // A datetime-local field's time, in New York in winter (300 minutes behind UTC).
    let local = (Utc::now() + Duration::days(3)).format("%Y-%m-%dT%H:%M").to_string();
    assert_eq!(move_end(&app, &teacher, &id, &local, "300").await.status(), 200);
    let expected: DateTime<Utc> =
        NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M").unwrap().and_utc() + Duration::minutes(300);
    assert_eq!(board(&app, &ada, &id).await.game.ends_at, expected, "the players' board shows the new end");
    assert_eq!(board(&app, &ada, &id).await.game.starts_at, game.starts_at, "nothing else changed");

    let sooner = (Utc::now() + Duration::hours(2)).to_rfc3339();
    assert_eq!(move_end(&app, &ada, &id, &sooner, "").await.status(), 404, "a player cannot");
    let past = (Utc::now() - Duration::minutes(5)).to_rfc3339();
    assert_eq!(
        field_error(move_end(&app, &teacher, &id, &past, "").await, "ends_at").await,
        "The new end must be in the future"
    );
    assert_eq!(
        field_error(move_end(&app, &teacher, &id, "soon", "").await, "ends_at").await,
        "Enter a date and time, like 2026-12-07T14:30"
    );
    let year = (Utc::now() + Duration::days(400)).to_rfc3339();
    assert_eq!(
        field_error(move_end(&app, &teacher, &id, &year, "").await, "ends_at").await,
        "A game lasts at most 366 days"
    );

    sqlx::query("UPDATE games SET ends_at = now() - interval '1 minute' WHERE id = $1")
        .bind(game.id)
        .execute(&app.pool)
        .await
        .unwrap();
    let later = (Utc::now() + Duration::days(1)).to_rfc3339();
    assert_eq!(
        field_error(move_end(&app, &teacher, &id, &later, "").await, "ends_at").await,
        "The game has ended; its standings are final"
    );
}

#[tokio::test]
async fn the_coachs_notes_on_a_game_portfolio_reach_its_teachers_view_and_not_the_personal_ones() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let id = game.id.to_string();
    let ada = learner(&app, "ada").await;
    executed(order(&app, &ada, "KO", "buy", "1").await).await; // personal: its first trade
    seat(join(&app, &ada, &game.join_code).await).await;
    let player = &class(&app, &teacher, &id).await.unwrap().players[0];
    assert_eq!((player.coach_notes, player.latest_coach_notes.len()), (0, 0), "the personal note is not the game's");

    executed(order(&app, &ada, "AAPL", "buy", "45").await).await;
    let player = &class(&app, &teacher, &id).await.unwrap().players[0];
    let mut titles = player.latest_coach_notes.clone();
    titles.sort(); // one fill wrote both, at the same moment
    assert_eq!(titles, ["AAPL is 45.00% of your portfolio", "Your first trade is done"]);
    assert_eq!(player.coach_notes, 2);
}
