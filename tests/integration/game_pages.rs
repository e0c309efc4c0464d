//! The games pages as the server renders them, the invite link's QR code, and the create form's
//! own fields (its time zone and order-type checkboxes).

use crate::games::{create, created, join, seat};
use crate::harness::{browser, TestApp};
use crate::trading::learner;
use papertrade::wire::games::GameView;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(format!("{}{path}", app.address)).header("accept", "text/html").send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The text at the start of the element with `data-testid="{testid}"` (up to its first tag).
fn text_of<'h>(html: &'h str, testid: &str) -> Option<&'h str> {
    let element = &html[html.find(&format!(r#"data-testid="{testid}""#))?..];
    let text = &element[element.find('>')? + 1..];
    text.split('<').next()
}

#[tokio::test]
async fn the_game_page_shows_its_organiser_the_invite_and_the_board_and_strangers_nothing() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(
        create(
            &app,
            &teacher,
            1,
            &[("late_joining", "on"), ("commission_kind", "per_trade"), ("commission_value", "4.95")],
        )
        .await,
    )
    .await;
    let student = learner(&app, "sam").await;
    seat(join(&app, &student, &game.join_code).await).await;
    let path = format!("/games/{}", game.id);

    let (status, html) = page(&app, &teacher, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Period 3 contest<"), "headed by the game's name");
    assert!(html.contains("<title>Period 3 contest · Papertrade</title>"), "and titled after it");
    assert_eq!(text_of(&html, "join-code"), Some(game.join_code.as_str()), "the code is shown");
    let link = format!("{}/games/join/{}", app.state.config.link_base(), game.join_code.replace('-', ""));
    assert!(html.contains(&link), "the invite link is {link}");
    assert!(html.contains(&format!("/games/join/{}/qr.svg", game.join_code.replace('-', ""))), "with its QR code");
    assert!(html.contains(r#"data-testid="leaderboard""#) && html.contains(">sam<"), "sam is on the board");
    assert!(html.contains("$4.95 a trade"), "the rules are listed");
    assert!(html.contains("Ends in "), "a running game counts down to its end");
    assert!(html.contains(r#"data-testid="class-summary""#), "the organiser sees the class summary");
    assert!(html.contains("Remove sam from the game"), "and can manage each player");
    assert!(html.contains(&format!("/games/{}/standings.csv", game.id)), "and export the standings");

    let (status, html) = page(&app, &student, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="portfolio-switcher""#), "a player sees which portfolio they trade in");
    assert!(html.contains(" selected>Game: Period 3 contest<"), "the game is selected");
    assert!(html.contains("Trade in this game"));
    assert!(!html.contains(r#"data-testid="teacher-view""#), "a player does not see the teacher's view");

    let stranger = learner(&app, "olga").await;
    let (status, html) = page(&app, &stranger, &path).await;
    assert_eq!(status, 404, "a game the viewer may not see is not found");
    assert!(html.contains("That game was not found"), "a private game is not shown to strangers");
    assert!(!html.contains(&game.join_code), "nor its code");
    assert!(!html.contains(r#"data-testid="portfolio-switcher""#), "no switcher without a game");

    let (status, _) = page(&app, &browser(), &path).await;
    assert_eq!(status, 302, "signed-out visitors log in first");
}

#[tokio::test]
async fn an_upcoming_game_counts_down_and_the_games_page_lists_it() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, -50, &[("is_public", "on"), ("name", "Winter league")]).await).await;
    let (_, html) = page(&app, &teacher, &format!("/games/{}", game.id)).await;
    // 50 hours less the moments since: 2 days and 1 hour to the two largest units.
    assert!(html.contains("Starts in 2 days 1 h"), "{html}");

    let (status, html) = page(&app, &teacher, "/games").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="my-games""#) && html.contains("Winter league"));
    assert!(html.contains("Organiser"));
    assert!(html.contains(r#"data-testid="open-games""#), "a public game is open to join");
    assert!(html.contains("Create a game"));

    let (status, html) = page(&app, &teacher, &format!("/games/join/{}", game.join_code.replace('-', ""))).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"value="{}""#, game.join_code)), "the invite link fills the code in");
}

#[tokio::test]
async fn the_invite_qr_code_is_an_svg_of_the_link_and_nonsense_codes_get_404() {
    let app = TestApp::spawn().await;
    let response = app.get("/games/join/K7M2QX/qr.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    assert_eq!(app.get("/games/join/K7M-2Q0/qr.svg").await.status(), 404, "0 is never in a code");
}

#[tokio::test]
async fn the_form_reads_times_in_the_browsers_zone_and_its_order_type_checkboxes() {
    let app = TestApp::spawn().await;
    let teacher = learner(&app, "teacher").await;
    let form = [
        ("name", "New York class"),
        ("starts_at", "2030-01-07T09:30"),
        ("ends_at", "2030-01-21T16:00"),
        ("starting_cash", "10000"),
        ("utc_offset_minutes", "300"),
        ("allow_limit", "on"),
        ("allow_trailing_stop", "on"),
    ];
    let game: GameView = app.call_as(&teacher, "create_game", &form).await.json().await.unwrap();
    assert_eq!(game.starts_at.to_rfc3339(), "2030-01-07T14:30:00+00:00", "09:30 in New York is 14:30 UTC");
    assert_eq!(game.ends_at.to_rfc3339(), "2030-01-21T21:00:00+00:00");
    assert_eq!(game.allowed_kinds, ["limit", "trailing_stop"]);

    let mut bad_zone: Vec<(&str, &str)> =
        form.iter().copied().filter(|(name, _)| *name != "utc_offset_minutes").collect();
    bad_zone.push(("utc_offset_minutes", "east"));
    let error: papertrade::wire::AppError = app.call_as(&teacher, "create_game", &bad_zone).await.json().await.unwrap();
    assert!(error.message_for("starts_at").is_some(), "{error:?}");
}
