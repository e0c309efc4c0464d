//! The teacher's view of a game over HTTP: the class summary from the coach's rules, adjusting a
//! player's cash with a reason they are told, removing a player, and the CSV exports — its
//! organiser only.

use crate::games::{create, created, join, seat};
use crate::harness::{browser, TestApp};
use crate::trading::{executed, learner, order};
use papertrade::wire::games::{ClassView, Leaderboard};
use papertrade::wire::notifications::NotificationPage;
use papertrade::wire::portfolios::PortfolioChoices;
use papertrade::wire::AppError;

async fn class(app: &TestApp, client: &reqwest::Client, game: &str) -> reqwest::Response {
    app.call_as(client, "game_class", &[("game", game)]).await
}

async fn adjust(
    app: &TestApp,
    client: &reqwest::Client,
    game: &str,
    portfolio: &str,
    amount: &str,
    reason: &str,
) -> reqwest::Response {
    let form = [("game", game), ("portfolio", portfolio), ("amount", amount), ("reason", reason)];
    app.call_as(client, "adjust_cash", &form).await
}

async fn board(app: &TestApp, client: &reqwest::Client, game: &str) -> Leaderboard {
    app.call_as(client, "game_leaderboard", &[("game", game)]).await.json().await.unwrap()
}

async fn notes(app: &TestApp, client: &reqwest::Client) -> NotificationPage {
    app.call_as(client, "notifications", &[]).await.json().await.unwrap()
}

#[tokio::test]
async fn the_class_summary_counts_the_coachs_patterns_for_the_organiser_only() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let (ada, bob, cy) = (learner(&app, "ada").await, learner(&app, "bob").await, learner(&app, "cyd").await);
    for player in [&ada, &bob, &cy] {
        seat(join(&app, player, &game.join_code).await).await;
    }
    // Ada puts 45% into one stock; Bob trades ten times in a day; Cyd does nothing.
    executed(order(&app, &ada, "AAPL", "buy", "45").await).await;
    for _ in 0..10 {
        executed(order(&app, &bob, "MSFT", "buy", "1").await).await;
    }
    dial.set("89");

    let id = game.id.to_string();
    let view: Option<ClassView> = class(&app, &teacher, &id).await.json().await.unwrap();
    let view = view.expect("the organiser sees the class");
    let summary = view.summary;
    assert_eq!(
        (
            summary.players,
            summary.concentrated,
            summary.overtrading,
            summary.sitting_in_cash,
            summary.big_loss,
            summary.not_traded
        ),
        (3, 1, 1, 2, 2, 1),
        "{summary:?}"
    );
    let names: Vec<&str> = view.players.iter().map(|player| player.username.as_str()).collect();
    assert_eq!(names, ["ada", "bob", "cyd"], "in the order they joined");
    assert_eq!(view.players[0].patterns, ["concentrated", "big loss on a position"]);
    assert_eq!(view.players[0].holdings, ["AAPL × 45"]);
    assert_eq!(view.players[0].value.to_usd(), "$9,505.00", "$5,500 cash and 45 × $89");
    assert_eq!(view.players[2].patterns, ["sitting in cash", "not traded yet"]);

    let refused: Option<ClassView> = class(&app, &ada, &id).await.json().await.unwrap();
    assert_eq!(refused, None, "a player does not see the class");
}

#[tokio::test]
async fn the_organiser_adjusts_a_players_cash_with_a_reason_the_player_reads() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let ada = learner(&app, "ada").await;
    let portfolio = seat(join(&app, &ada, &game.join_code).await).await.portfolio_id.to_string();
    let id = game.id.to_string();

    let response = adjust(&app, &teacher, &id, &portfolio, "500", "Bonus for the best essay").await;
    assert_eq!(response.status(), 200);
    assert_eq!(crate::trading::portfolio(&app, &ada).await.cash.to_usd(), "$10,500.00");
    let note = &notes(&app, &ada).await.items[0];
    assert_eq!(note.title, "Your game cash changed");
    assert!(note.message.contains("added $500.00 your game cash: “Bonus for the best essay”"), "{}", note.message);
    assert_eq!(note.link.as_deref(), Some(format!("/games/{id}").as_str()));

    let too_much: AppError = adjust(&app, &teacher, &id, &portfolio, "-20000", "Fine").await.json().await.unwrap();
    assert!(too_much.message_for("amount").unwrap().contains("cannot go below $0.00"), "{too_much:?}");
    let no_reason: AppError = adjust(&app, &teacher, &id, &portfolio, "10", " ").await.json().await.unwrap();
    assert!(no_reason.message_for("reason").is_some());
    assert_eq!(adjust(&app, &ada, &id, &portfolio, "1000000", "Me").await.status(), 404, "players cannot");
    let other = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await.id.to_string();
    assert_eq!(adjust(&app, &teacher, &other, &portfolio, "10", "Wrong game").await.status(), 404);
    assert_eq!(crate::trading::portfolio(&app, &ada).await.cash.to_usd(), "$10,500.00", "nothing else moved");
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM game_cash_adjustments").fetch_one(&app.pool).await.unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn a_removed_player_leaves_the_board_and_trades_in_their_own_portfolio_again() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let ada = learner(&app, "ada").await;
    let portfolio = seat(join(&app, &ada, &game.join_code).await).await.portfolio_id.to_string();
    let id = game.id.to_string();

    let form = [("game", id.as_str()), ("portfolio", portfolio.as_str())];
    assert_eq!(app.call_as(&ada, "remove_player", &form).await.status(), 404, "only the organiser removes");
    assert_eq!(app.call_as(&teacher, "remove_player", &form).await.status(), 200);
    assert!(board(&app, &teacher, &id).await.rows.is_empty());
    assert_eq!(notes(&app, &ada).await.items[0].title, "You left a game");
    let choices: PortfolioChoices = app.call_as(&ada, "my_portfolios", &[]).await.json().await.unwrap();
    assert_eq!(choices.choices.len(), 1, "only the personal portfolio is left");
    let receipt = executed(order(&app, &ada, "AAPL", "buy", "1").await).await;
    assert_eq!(receipt.cash_after.to_usd(), "$9,900.00", "the order went into the personal portfolio");
    assert_eq!(app.call_as(&teacher, "remove_player", &form).await.status(), 404, "once");
}

#[tokio::test]
async fn the_organiser_exports_the_standings_and_every_trade_as_csv() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let rules = [("commission_kind", "per_trade"), ("commission_value", "1"), ("late_joining", "on")];
    let game = created(create(&app, &teacher, 1, &rules).await).await;
    let ada = learner(&app, "ada").await;
    seat(join(&app, &ada, &game.join_code).await).await;
    executed(order(&app, &ada, "AAPL", "buy", "3").await).await;
    let download = |client: &reqwest::Client, what: &str| {
        let url = format!("{}/games/{}/{what}.csv", app.address, game.id);
        let request = client.get(url).header("accept", "text/html");
        async move { request.send().await.unwrap() }
    };

    let standings = download(&teacher, "standings").await;
    assert_eq!(standings.status(), 200);
    assert!(standings.headers()["content-disposition"].to_str().unwrap().contains("papertrade-game-standings-"));
    let standings = standings.text().await.unwrap();
    let lines: Vec<&str> = standings.lines().collect();
    assert_eq!(lines[0], "place,player,value,total_return_percent,trades,joined_at");
    assert!(lines[1].starts_with("1,\"ada\",9999.00,-0.01,1,"), "{}", lines[1]);

    let trades = download(&teacher, "trades").await.text().await.unwrap();
    let lines: Vec<&str> = trades.lines().collect();
    assert_eq!(lines[0], "executed_at,player,symbol,side,quantity,price,amount,commission");
    assert!(lines[1].ends_with(",\"ada\",AAPL,buy,3,100.00,300.00,1.00"), "{}", lines[1]);

    assert_eq!(download(&ada, "standings").await.status(), 404, "a player does not export");
    let signed_out = download(&browser(), "trades").await;
    assert_eq!(signed_out.status(), 303);
    assert_eq!(signed_out.headers()["location"], format!("/login?next=/games/{}", game.id));
}

#[tokio::test]
async fn an_ended_game_freezes_its_standings_and_benchmark_once_and_names_the_winner() {
    let (app, dial) = TestApp::spawn_with_dial("100").await;
    let teacher = learner(&app, "teacher").await;
    let game = created(create(&app, &teacher, 1, &[("late_joining", "on")]).await).await;
    let (ada, bob) = (learner(&app, "ada").await, learner(&app, "bob").await);
    let adas = seat(join(&app, &ada, &game.join_code).await).await.portfolio_id;
    seat(join(&app, &bob, &game.join_code).await).await;
    executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
    let id = game.id.to_string();
    let at_start = board(&app, &teacher, &id).await.benchmark.expect("SPY from the start");
    assert_eq!((at_start.symbol.as_str(), at_start.value.to_usd()), ("SPY", "$10,000.00".to_owned()));
    dial.set("110");
    let running = board(&app, &teacher, &id).await;
    assert!(!running.is_final, "running");
    let benchmark = running.benchmark.expect("SPY from the start");
    assert_eq!(running.rows[0].day_change.to_usd(), "$100.00", "no close yet: the day counts from the join");
    sqlx::query(
        "INSERT INTO portfolio_snapshots (portfolio_id, kind, trading_day, cash, total_value)
         VALUES ($1, 'close', current_date, 9000, 10050)",
    )
    .bind(adas)
    .execute(&app.pool)
    .await
    .unwrap();
    let after_a_close = board(&app, &teacher, &id).await;
    assert_eq!(after_a_close.rows[0].day_change.to_usd(), "$50.00", "from the last close's $10,050");
    assert_eq!(
        (benchmark.value.to_usd(), benchmark.total_return.signed()),
        ("$11,000.00".to_owned(), "+10.00%".to_owned())
    );

    let after_the_end = game.ends_at + chrono::Duration::minutes(1);
    let freeze = || papertrade::server::games::results::freeze_ended(&app.pool, &app.state.market, after_the_end);
    assert_eq!(freeze().await.unwrap(), 1);
    assert_eq!(freeze().await.unwrap(), 0, "written once");

    dial.set("50");
    let final_board = board(&app, &bob, &id).await;
    assert!(final_board.is_final);
    assert_eq!(final_board.valued_at, after_the_end);
    let standings: Vec<(usize, &str, String, bool)> =
        final_board.rows.iter().map(|row| (row.place, row.username.as_str(), row.value.to_usd(), row.is_you)).collect();
    assert_eq!(
        standings,
        [(1, "ada", "$10,100.00".to_owned(), false), (2, "bob", "$10,000.00".to_owned(), true)],
        "valued at the end ($110), not at today's $50"
    );
    let page = bob.get(format!("{}/games/{id}", app.address)).header("accept", "text/html").send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Final standings") && html.contains("Winner: ada, with a return of +1.00%"), "{html}");
    assert_eq!(final_board.benchmark.map(|b| b.value.to_usd()), Some("$11,000.00".to_owned()), "SPY at the end, too");
}

#[tokio::test]
async fn players_see_each_others_holdings_only_when_the_game_says_so() {
    let app = TestApp::spawn_with_fixed_price("100").await;
    let teacher = learner(&app, "teacher").await;
    let (ada, bob) = (learner(&app, "ada").await, learner(&app, "bob").await);
    for (visible, name) in [(false, "Hidden"), (true, "Open book")] {
        let mut rules = vec![("late_joining", "on"), ("name", name)];
        if visible {
            rules.push(("holdings_visible", "on"));
        }
        let game = created(create(&app, &teacher, 1, &rules).await).await;
        for player in [&ada, &bob] {
            seat(join(&app, player, &game.join_code).await).await;
        }
        executed(order(&app, &ada, "AAPL", "buy", "10").await).await;
        let id = game.id.to_string();
        let adas_row = |board: Leaderboard| board.rows.into_iter().find(|row| row.username == "ada").unwrap().holdings;
        assert_eq!(adas_row(board(&app, &ada, &id).await), ["AAPL × 10"], "{name}: ada sees her own");
        assert_eq!(adas_row(board(&app, &teacher, &id).await), ["AAPL × 10"], "{name}: the organiser sees all");
        let to_bob = adas_row(board(&app, &bob, &id).await);
        assert_eq!(to_bob.is_empty(), !visible, "{name}: bob sees {to_bob:?}");
    }
}
