use crate::harness::{browser, seed, TestApp};
use crate::trading::{learner, order};

#[tokio::test]
async fn the_landing_page_is_server_rendered_with_live_figures() {
    let app = TestApp::spawn().await;
    seed(&app.pool).await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("Learn to invest by doing"), "hero is rendered");
    assert!(html.contains("<title>Papertrade</title>"), "title is set");
    assert!(html.contains(r#"data-testid="platform-figures""#), "figures are rendered on the server");
    assert!(html.contains("$30,000.00"), "three seeded portfolios of $10,000");
    let version = &app.state.assets_version;
    assert!(
        html.contains(&format!("/pkg/{version}/papertrade.js")),
        "the hydration script is linked under the build's version"
    );
    assert!(html.contains(&format!(r#"href="/pkg/{version}/papertrade.css""#)), "so is the stylesheet");
}

#[tokio::test]
async fn the_landing_page_still_renders_when_the_database_is_down() {
    let app = TestApp::spawn_without_database().await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Learn to invest by doing"));
    assert!(html.contains("Live figures are unavailable right now."));
}

#[tokio::test]
async fn an_unknown_address_gets_a_styled_404_page() {
    let app = TestApp::spawn_without_database().await;

    let response = app.get("/no-such-page").await;

    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("This page is not on the market"));
    assert!(html.contains("Page not found · Papertrade"));
}

#[tokio::test]
async fn a_signed_out_visitor_to_a_private_page_is_redirected_to_log_in() {
    let app = TestApp::spawn().await;

    for page in ["/dashboard", "/history", "/notifications", "/watchlist", "/account"] {
        let response =
            browser().get(format!("{}{page}", app.address)).header("accept", "text/html").send().await.unwrap();

        assert_eq!(response.status(), 302, "{page}");
        assert_eq!(response.headers()["location"], format!("/login?next={page}"), "{page}");
    }

    // None of those pages was made, so none of their data server functions ran (each would
    // have answered 401) — while a call over HTTP is counted.
    let refused = || async { server_function_errors(&app, 401).await };
    assert_eq!(refused().await, 0, "no server function ran for a signed-out visitor");
    assert_eq!(app.call("my_portfolio", &[]).await.status(), 401);
    assert_eq!(refused().await, 1);
}

/// How many server functions have answered with `status`, from the instance's metrics.
async fn server_function_errors(app: &TestApp, status: u16) -> u64 {
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let series = format!("papertrade_server_function_errors_total{{status=\"{status}\"}} ");
    let line =
        metrics.lines().find(|line| line.starts_with(&series)).unwrap_or_else(|| panic!("no {series}in {metrics}"));
    line[series.len()..].trim().parse().unwrap()
}

#[tokio::test]
async fn the_dashboard_arrives_complete_without_loading_placeholders() {
    let app = TestApp::spawn_with_fixed_price("50.00").await;
    let client = learner(&app, "ada").await;
    assert!(order(&app, &client, "AAPL", "buy", "3").await.status().is_success());

    let response = client.get(format!("{}/dashboard", app.address)).header("accept", "text/html").send().await.unwrap();

    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    // Streamed in order: the figures are in the HTML where they stand, not swapped in later.
    assert!(html.contains(r#"data-testid="portfolio-summary""#), "{html}");
    assert!(html.contains("$9,850.00"), "the cash after buying 3 at $50.00");
    assert!(!html.contains("Loading"), "no placeholder was sent: {html}");
    assert!(!html.contains("<template"), "no out-of-order chunk: {html}");
    let head = html.split("</head>").next().unwrap();
    assert!(head.contains("data-hydrated"), "the hydration loader is in the head");
    assert!(!head.contains(r#"rel="preload""#) && !head.contains("modulepreload"), "no WASM preload: {head}");
}
